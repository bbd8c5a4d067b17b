using ValueManagement.Bot;

// Settings are read from beside the program (as vm reads them), wherever it is started from; relative
// data paths (Storage:LiteDb:Path, Scheduling:SqlitePath) are relative to the current directory, as in vm.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });

builder.AddBotDefaults();
builder.Services.AddValueManagementBot(builder.Configuration);

var app = builder.Build();

app.MapHealthEndpoints();
app.MapBot();

app.Run();

/// <summary>Visible to the integration tests' WebApplicationFactory.</summary>
public partial class Program;
