using ValueManagement.Bot;

var builder = WebApplication.CreateBuilder(args);

builder.AddBotDefaults();
builder.Services.AddValueManagementBot(builder.Configuration);

var app = builder.Build();

app.MapHealthEndpoints();
app.MapBot();

app.Run();

/// <summary>Visible to the integration tests' WebApplicationFactory.</summary>
public partial class Program;
