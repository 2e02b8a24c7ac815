using System.Text.Json.Serialization;
using Gnlc.Api.Auth;
using Gnlc.Api.Endpoints;
using Gnlc.Api.Errors;
using Gnlc.Api.Events;
using Gnlc.Api.Hosting;
using Gnlc.Api.Security;
using Gnlc.Silo.Hosting;
using Gnlc.Silo.Telemetry;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Scalar.AspNetCore;

var builder = WebApplication.CreateBuilder(args);
builder.AddGnlcServiceDefaults();
builder.AddGnlcCluster();
builder.AddGnlcAuthentication();
builder.AddGnlcRateLimiting();
builder.AddGnlcCors();
builder.Services.AddGnlcProblemDetails();
builder.Services.AddGnlcEventFeed();
builder.Services.AddGnlcApi();
builder.Services.AddOpenApi("v1");
// Ready when the cluster answers and, in clustered mode, PostgreSQL answers.
builder.Services.AddHealthChecks()
    .AddCheck<ClusterHealthCheck>("cluster", tags: [GnlcHealth.ReadyTag])
    .AddGnlcStoreHealthCheck(GnlcStoreOptions.From(builder.Configuration, builder.Environment.ContentRootPath));
builder.Services.TryAddSingleton(TimeProvider.System);
builder.Services.ConfigureHttpJsonOptions(options =>
    options.SerializerOptions.Converters.Add(new JsonStringEnumConverter()));

var app = builder.Build();
// First: its gate keeps the dashboard on its own address (when Gnlc:Dashboard:Url is set).
app.UseGnlcDashboard();
app.UseGnlcSecurityHeaders();
app.UseExceptionHandler();
app.UseGnlcStatusCodePages();
app.UseGnlcCors();
app.UseGnlcAuthentication();
app.UseGnlcAuthorization();
app.UseGnlcRateLimiting();
app.UseMiddleware<Gnlc.Api.Http.IdempotencyMiddleware>();

app.MapOpenApi("/openapi/{documentName}.json");
app.MapGnlcHealthEndpoints();
app.MapGnlcMetrics();

var v1 = app.MapGroup("/api/v1").MapGnlcApi();
v1.MapEventsEndpoints();
if (app.Environment.IsDevelopment())
{
    app.MapScalarApiReference("/docs");
    v1.MapGroup("/dev").WithTags("Development")
        .MapDevelopmentTokenEndpoints()
        .MapDevelopmentClockEndpoints();
}

app.Run();

/// <summary>Entry point, public so that HTTP tests can host it.</summary>
public partial class Program;
