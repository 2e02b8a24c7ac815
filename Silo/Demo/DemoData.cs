using System.Reflection;
using Gnlc.Actors;
using Gnlc.Import;
using Gnlc.Periods;
using Gnlc.Time;
using Gnlc.Silo.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Gnlc.Silo.Demo;

/// <summary>
/// Demo data (Silo/Data: members.csv and awards.csv) loaded at start-up through the importer, so every rule,
/// index and event applies; importing again on a restart changes nothing. <c>Gnlc:Demo:Enabled</c> switches it;
/// by default on in the embedded default and off in clustered mode. The one period loaded is the 2023 call, recorded
/// as Closed history; API.md: demo data holds no period that opens after 2023.
/// </summary>
public static partial class DemoData
{
    public const string EnabledKey = "Gnlc:Demo:Enabled";

    public static IHostApplicationBuilder AddGnlcDemoData(this IHostApplicationBuilder builder, GnlcStoreOptions store)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(store);
        if (builder.Configuration.GetValue<bool?>(EnabledKey) ?? store.Kind == GnlcStoreKind.Embedded)
        {
            // Registered after UseOrleans: hosted services start in order, so the silo is up when this runs.
            builder.Services.AddHostedService<DemoDataLoader>();
        }

        return builder;
    }

    public static string MembersCsv => Resource("Gnlc.Silo.Data.members.csv");

    public static string AwardsCsv => Resource("Gnlc.Silo.Data.awards.csv");

    /// <summary>
    /// The 2023 call for applications: open 1 April to 31 May 2023 (shared data README), so a two-month application
    /// window; the commissions' window of that call is not in our sources, so it takes the regulations' one month.
    /// </summary>
    public static SchedulePeriod Call2023 { get; } = new(
        "2023", new DateTimeOffset(2023, 4, 1, 0, 0, 0, TimeSpan.Zero), CalendarDuration.FromMonths(2), CalendarDuration.FromMonths(1), Quota: 3);

    /// <summary>Members first, then awards (an awardee absent from members.csv is imported as a member), then the 2023 call.</summary>
    public static async Task<(ImportReport Members, ImportReport Awards)> LoadAsync(IGrainFactory grains)
    {
        ArgumentNullException.ThrowIfNull(grains);
        var members = await NetworkImport.ImportMembersAsync(grains, Actor.Coordinator, NetworkImport.ParseMembersCsv(MembersCsv));
        var awards = await NetworkImport.ImportAwardsAsync(grains, Actor.Coordinator, NetworkImport.ParseAwardsCsv(AwardsCsv));
        await grains.GetGrain<IPeriodRegistryGrain>(GrainKeys.PeriodRegistry).RecordPastAsync(Actor.Coordinator, Call2023);
        return (members, awards);
    }

    /// <summary>
    /// <c>Silo import members|awards &lt;file.csv&gt;</c>: runs a silo in-process against the configured store
    /// (demo loading off), imports the file through the grains, prints the report, stops. In the embedded default
    /// run it while the Api is stopped (they would share the SQLite file and ports); in clustered mode it joins the
    /// cluster as a silo for the duration.
    /// </summary>
    public static async Task<int> RunImportCommandAsync(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (args is not [var kind, var file, .. var rest] || kind is not ("members" or "awards"))
        {
            await Console.Error.WriteLineAsync("usage: Silo import members|awards <file.csv> [configuration arguments]");
            return 2;
        }

        var text = await File.ReadAllTextAsync(file);
        var builder = WebApplication.CreateBuilder(rest);
        builder.Configuration[EnabledKey] = "false";
        builder.AddGnlcSilo();
        await using var app = builder.Build();
        await app.StartAsync();
        var grains = app.Services.GetRequiredService<IGrainFactory>();
        var report = kind == "members"
            ? await NetworkImport.ImportMembersAsync(grains, Actor.Coordinator, NetworkImport.ParseMembersCsv(text))
            : await NetworkImport.ImportAwardsAsync(grains, Actor.Coordinator, NetworkImport.ParseAwardsCsv(text));
        Console.WriteLine($"imported {report.Imported}, unchanged {report.Unchanged}, refused {report.Refused.Length}");
        foreach (var refusal in report.Refused)
        {
            Console.WriteLine($"row {refusal.Row}: {refusal.Code}: {refusal.Reason}");
        }

        await app.StopAsync();
        return report.Refused.IsEmpty ? 0 : 1;
    }

    private static string Resource(string name)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"The demo resource '{name}' is missing.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private sealed partial class DemoDataLoader(IGrainFactory grains, ILogger<DemoDataLoader> logger) : IHostedService
    {
        public async Task StartAsync(CancellationToken cancellationToken)
        {
            var (members, awards) = await LoadAsync(grains);
            LogLoaded(logger, members.Imported, members.Unchanged, members.Refused.Length, awards.Imported, awards.Unchanged, awards.Refused.Length);
            foreach (var refusal in members.Refused.Concat(awards.Refused))
            {
                LogRefused(logger, refusal.Row, refusal.Code, refusal.Reason);
            }
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        [LoggerMessage(Level = LogLevel.Information, Message = "Demo data: members imported {MembersImported}, unchanged {MembersUnchanged}, refused {MembersRefused}; awards imported {AwardsImported}, unchanged {AwardsUnchanged}, refused {AwardsRefused}.")]
        private static partial void LogLoaded(ILogger logger, int membersImported, int membersUnchanged, int membersRefused, int awardsImported, int awardsUnchanged, int awardsRefused);

        [LoggerMessage(Level = LogLevel.Warning, Message = "Demo data: row {Row} refused ({Code}): {Reason}")]
        private static partial void LogRefused(ILogger logger, int row, string code, string reason);
    }
}
