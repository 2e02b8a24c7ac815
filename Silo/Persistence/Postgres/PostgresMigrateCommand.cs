using Gnlc.Silo.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Gnlc.Silo.Persistence.Postgres;

/// <summary><c>Silo migrate</c>: applies the PostgreSQL migrations and exits, e.g. as a deployment step.</summary>
public static partial class PostgresMigrateCommand
{
    /// <summary>The first command-line argument that selects this command.</summary>
    public const string Name = "migrate";

    /// <summary>Exit code when <c>ConnectionStrings:Gnlc</c> is not set (there is nothing to migrate).</summary>
    public const int NotConfigured = 2;

    /// <summary>Exit code when the migration failed.</summary>
    public const int Failed = 1;

    /// <param name="args">The remaining arguments: configuration overrides such as <c>--ConnectionStrings:Gnlc=...</c>.</param>
    /// <returns>0 when the database is current, otherwise <see cref="Failed"/> or <see cref="NotConfigured"/>.</returns>
    public static async Task<int> RunAsync(string[] args)
    {
        // The same configuration sources as the silo (appsettings, environment, command line), none of its services.
        var builder = Host.CreateApplicationBuilder(args);
        var connectionString = builder.Configuration.GetConnectionString(GnlcStoreOptions.ConnectionStringName);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            await Console.Error.WriteLineAsync(
                $"'{Name}' needs ConnectionStrings:{GnlcStoreOptions.ConnectionStringName} (e.g. the ConnectionStrings__Gnlc environment variable); the embedded store migrates itself.");
            return NotConfigured;
        }

        builder.Services.AddGnlcPostgres(connectionString);
        using var host = builder.Build();
        var logger = host.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(PostgresMigrateCommand));
        using var cancellation = new CancellationTokenSource();
        ConsoleCancelEventHandler cancel = (_, e) =>
        {
            e.Cancel = true;
            cancellation.Cancel();
        };
        Console.CancelKeyPress += cancel;
        try
        {
            await host.Services.GetRequiredService<PostgresMigrator>().MigrateAsync(cancellation.Token);
            return 0;
        }
        catch (Exception error) when (error is NpgsqlException or InvalidOperationException or OperationCanceledException)
        {
            LogFailed(logger, error);
            return Failed;
        }
        finally
        {
            Console.CancelKeyPress -= cancel;
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "PostgreSQL migration failed.")]
    private static partial void LogFailed(ILogger logger, Exception error);
}
