using Gnlc.Silo.Hosting;
using Gnlc.Silo.Persistence.Postgres;
using Gnlc.Silo.Telemetry;

namespace Gnlc.Silo;

/// <summary>One silo process. A named class (not top-level statements) so that its type does not clash with the Api's <c>Program</c>.</summary>
internal static class SiloProgram
{
    public static async Task<int> Main(string[] args)
    {
        // "Silo migrate": apply the PostgreSQL migrations and exit (a deployment step; silos also migrate on start).
        if (args is [PostgresMigrateCommand.Name, .. var rest])
        {
            return await PostgresMigrateCommand.RunAsync(rest);
        }

        // "Silo import members|awards <file.csv>": import existing members or awards through an in-process silo, then exit.
        if (args is ["import", .. var import])
        {
            return await Demo.DemoData.RunImportCommandAsync(import);
        }

        var builder = WebApplication.CreateBuilder(args);
        builder.AddGnlcServiceDefaults();
        builder.AddGnlcSilo();
        builder.Services.AddGnlcSiloHealthChecks(GnlcStoreOptions.From(builder.Configuration, builder.Environment.ContentRootPath));

        var app = builder.Build();
        app.UseGnlcDashboard();
        app.MapGnlcHealthEndpoints();
        app.MapGnlcMetrics();
        await app.RunAsync();
        return 0;
    }
}
