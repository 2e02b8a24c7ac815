using Gnlc.Silo.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddGnlcSilo();
builder.Services.AddHealthChecks();

var app = builder.Build();
app.MapHealthChecks("/health/live");
app.Run();
