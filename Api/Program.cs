using Gnlc.Api.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddGnlcCluster();
builder.Services.AddHealthChecks();

var app = builder.Build();
app.MapHealthChecks("/health/live");
app.Run();

/// <summary>Entry point, public so that HTTP tests can host it.</summary>
public partial class Program;
