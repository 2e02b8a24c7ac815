using Microsoft.Extensions.DependencyInjection.Extensions;
using System.Text.Json.Serialization;
using Gnlc.Api.Auth;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Gnlc.Api.Errors;
using Gnlc.Api.Hosting;
using Scalar.AspNetCore;

var builder = WebApplication.CreateBuilder(args);
builder.AddGnlcCluster();
builder.AddGnlcAuthentication();
builder.AddGnlcRateLimiting();
builder.Services.AddGnlcProblemDetails();
builder.Services.AddOpenApi("v1");
builder.Services.AddHealthChecks()
    .AddCheck<ClusterHealthCheck>("cluster", tags: ["ready"]);
builder.Services.TryAddSingleton(TimeProvider.System);
builder.Services.ConfigureHttpJsonOptions(options =>
    options.SerializerOptions.Converters.Add(new JsonStringEnumConverter()));

var app = builder.Build();
app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseAuthentication();
app.UseAuthorization();
app.UseRateLimiter();

app.MapOpenApi("/openapi/{documentName}.json");
// Liveness runs no checks: the process answers. Readiness asks the cluster (and its store).
app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains("ready") });

var v1 = app.MapGroup("/api/v1");
if (app.Environment.IsDevelopment())
{
    app.MapScalarApiReference("/docs");
    v1.MapGroup("/dev").WithTags("Development").MapDevelopmentTokenEndpoints();
}

app.Run();

/// <summary>Entry point, public so that HTTP tests can host it.</summary>
public partial class Program;
