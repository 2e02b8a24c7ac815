using Gnlc.Silo.Hosting;

namespace Gnlc.Silo;

/// <summary>One silo process. A named class (not top-level statements) so that its type does not clash with the Api's <c>Program</c>.</summary>
internal static class SiloProgram
{
    public static void Main(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.AddGnlcSilo();
        builder.Services.AddHealthChecks();

        var app = builder.Build();
        app.MapHealthChecks("/health/live");
        app.Run();
    }
}
