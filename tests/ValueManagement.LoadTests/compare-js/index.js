// The comparison bot: Microsoft's Bot Framework SDK for JavaScript (CloudAdapter in Express)
// answering `help` with the same Adaptive Card our bot sends. Started by
// `ValueManagement.LoadTests compare`; everything it needs comes from the environment.
'use strict';

const fs = require('fs');
const express = require('express');
const {
    ActivityHandler,
    CardFactory,
    CloudAdapter,
} = require('botbuilder');
const {
    AppCredentials,
    AuthenticationConfiguration,
    BotFrameworkAuthenticationFactory,
    ServiceClientCredentialsFactory,
} = require('botframework-connector');

const env = process.env;
const appId = env.MicrosoftAppId;
const appPassword = env.MicrosoftAppPassword;
const tokenUrl = env.VmCompareTokenUrl;
const helpCard = JSON.parse(fs.readFileSync(env.VmCompareCardPath, 'utf8'));

// The SDK's MicrosoftAppCredentials fetch the Connector token through MSAL, which insists on Azure
// AD's discovery documents; the fake cloud serves only the token endpoint. So these credentials
// build on the SDK's AppCredentials base, whose getToken keeps its own token cache, and fetch the
// token with a plain client-credentials POST: once per run, as the SDK's cache would.
class FakeCloudAppCredentials extends AppCredentials {
    constructor(id, password, oauthScope) {
        super(id, undefined, oauthScope);
        this.appPassword = password;
    }

    async refreshToken() {
        const response = await fetch(tokenUrl, {
            method: 'POST',
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
            body: new URLSearchParams({
                grant_type: 'client_credentials',
                client_id: this.appId,
                client_secret: this.appPassword,
                scope: 'https://api.botframework.com/.default',
            }),
        });
        if (!response.ok) throw new Error(`token endpoint answered ${response.status}`);
        const token = await response.json();
        return { accessToken: token.access_token, expiresOn: new Date(Date.now() + token.expires_in * 1000) };
    }
}

class FakeCloudCredentialsFactory extends ServiceClientCredentialsFactory {
    async isValidAppId(id) { return id === appId; }
    async isAuthenticationDisabled() { return false; }
    async createCredentials(id, oauthScope) {
        return new FakeCloudAppCredentials(id, appPassword, oauthScope);
    }
}

const authentication = BotFrameworkAuthenticationFactory.create(
    '',                                      // public cloud
    false,                                   // validate authority
    env.ToChannelFromBotLoginUrl,
    'https://api.botframework.com',          // ToChannelFromBotOAuthScope
    'https://api.botframework.com',          // ToBotFromChannelTokenIssuer
    'https://api.botframework.com',          // OAuthUrl (user tokens; unused here)
    env.ToBotFromChannelOpenIdMetadataUrl,
    env.ToBotFromChannelOpenIdMetadataUrl,   // emulator metadata: the same fake keys
    'urn:botframework:azure',
    new FakeCloudCredentialsFactory(),
    new AuthenticationConfiguration());

const adapter = new CloudAdapter(authentication);
adapter.onTurnError = async (context, error) => {
    console.error(`turn error: ${error && error.message}`);
};

class HelpBot extends ActivityHandler {
    constructor() {
        super();
        this.onMessage(async (context, next) => {
            await context.sendActivity({ attachments: [CardFactory.adaptiveCard(helpCard)] });
            await next();
        });
    }
}
const bot = new HelpBot();

const app = express();
app.use(express.json({ limit: '1mb' }));
app.post('/api/messages', (req, res) => adapter.process(req, res, (context) => bot.run(context)));

const server = app.listen(Number(env.PORT || 0), '127.0.0.1', () => {
    console.log(`listening ${server.address().port}`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
