using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Gnlc.Silo.Hosting;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Gnlc.Silo.Tests;

/// <summary>
/// A host configured exactly as the embedded default (<see cref="GnlcSiloHosting.AddGnlcSilo"/>) on a SQLite file in
/// <see cref="DataDirectory"/>, with its own Orleans ports so that several can run side by side.
/// </summary>
public sealed class EmbeddedSilo : IAsyncDisposable
{
    private const int StartAttempts = 3;
    private readonly IHost _host;

    private EmbeddedSilo(IHost host, string dataDirectory)
    {
        _host = host;
        DataDirectory = dataDirectory;
    }

    public string DataDirectory { get; }

    public string DatabaseFile => Path.Combine(DataDirectory, "gnlc.db");

    public IServiceProvider Services => _host.Services;

    public IGrainFactory Grains => _host.Services.GetRequiredService<IGrainFactory>();

    public static string NewDataDirectory() => Directory.CreateTempSubdirectory("gnlc-silo-tests-").FullName;

    public static async Task<EmbeddedSilo> StartAsync(string dataDirectory, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var host = Build(dataDirectory);
            try
            {
                await host.StartAsync(cancellationToken);
                return new EmbeddedSilo(host, dataDirectory);
            }
            catch (Exception ex) when (attempt < StartAttempts && IsPortClash(ex))
            {
                // Another process took a port between picking and binding it: pick again.
                host.Dispose();
            }
            catch
            {
                host.Dispose();
                throw;
            }
        }
    }

    /// <summary>Stops the silo gracefully, as a process shutdown would, and releases the file.</summary>
    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync(CancellationToken.None);
        _host.Dispose();
        // Pooled connections keep the file open; a restart on the same file must not depend on them.
        SqliteConnection.ClearAllPools();
    }

    /// <summary>Removes a data directory once no host uses it; a leftover temp folder is not a test failure.</summary>
    public static void DeleteDataDirectory(string dataDirectory)
    {
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(dataDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private static IHost Build(string dataDirectory)
    {
        // DisableDefaults: no appsettings or environment variables of the machine leak into the test.
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            DisableDefaults = true,
            ContentRootPath = dataDirectory,
            EnvironmentName = Environments.Development,
        });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            [GnlcStoreOptions.EmbeddedDataDirectoryKey] = dataDirectory,
            ["Orleans:Endpoints:SiloPort"] = FreePort(),
            ["Orleans:Endpoints:GatewayPort"] = FreePort(),
            ["Gnlc:Demo:Enabled"] = "false",
        });
        builder.AddGnlcSilo();
        return builder.Build();
    }

    private static string FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port.ToString(CultureInfo.InvariantCulture);
    }

    private static bool IsPortClash(Exception ex) =>
        ex is SocketException { SocketErrorCode: SocketError.AddressAlreadyInUse }
        || (ex.InnerException is not null && IsPortClash(ex.InnerException));
}

/// <summary>One embedded silo on a fresh data directory, shared by the tests of a class (fresh keys per test).</summary>
public sealed class EmbeddedSiloFixture : IAsyncLifetime
{
    private EmbeddedSilo? _silo;

    public EmbeddedSilo Silo => _silo ?? throw new InvalidOperationException("The silo has not started.");

    public async ValueTask InitializeAsync() =>
        _silo = await EmbeddedSilo.StartAsync(EmbeddedSilo.NewDataDirectory(), TestContext.Current.CancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (_silo is not null)
        {
            await _silo.DisposeAsync();
            EmbeddedSilo.DeleteDataDirectory(_silo.DataDirectory);
        }
    }
}
