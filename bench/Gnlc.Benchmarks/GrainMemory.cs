using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Runtime;
using Gnlc.Actors;
using Gnlc.Cities;
using Gnlc.Domain;
using Gnlc.Hosting;
using Gnlc.Reference;
using Gnlc.State;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Runtime.Hosting;
using Orleans.Serialization;
using Orleans.Storage;

namespace Gnlc.Benchmarks;

/// <summary>
/// <c>grain-memory</c>: the managed memory one activated city grain retains, measured exactly. A silo runs in this
/// process over a store of N registered cities (serialized, as the database holds them); the live heap is taken
/// after full compacting collections before and after <c>GetAsync</c> activates each of them (what
/// <c>GET /cities/{id}</c> does), and the difference is divided by N. It counts everything an activation keeps:
/// Orleans' activation data, catalog and directory entries, the grain, its <c>IPersistentState</c> and the state.
/// <c>--pause</c> waits for a line on stdin at both points, so that <c>dotnet-gcdump collect -p PID</c> can take
/// the heap snapshots whose difference by type is the breakdown.
/// </summary>
internal static class GrainMemory
{
    private static readonly DateTimeOffset Now = new(2026, 11, 1, 9, 0, 0, TimeSpan.Zero);

    public static async Task<int> RunAsync(string[] args)
    {
        var cities = IntOption(args, "--cities", 20_000);
        var warmup = IntOption(args, "--warmup", 2_000);
        var member = args.Contains("--member");
        var pause = args.Contains("--pause");
        var countries = MemberStates.All.Where(s => s.Status == "member_state").Select(s => s.Code).ToArray();

        var store = new ConcurrentDictionary<string, byte[]>(StringComparer.Ordinal);
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.UseOrleans(silo =>
        {
            silo.UseLocalhostClustering(Random.Shared.Next(20_000, 30_000), Random.Shared.Next(30_000, 40_000));
            silo.UseInMemoryReminderService();
            silo.Services.AddGrainStorage(ProviderNames.GrainStorage, (sp, _) => new BytesGrainStorage(store, sp.GetRequiredService<Serializer>()));
            silo.AddGnlcDomain();
        });
        using var host = builder.Build();
        await host.StartAsync();
        var serializer = host.Services.GetRequiredService<Serializer>();
        var grains = host.Services.GetRequiredService<IGrainFactory>();

        // The store: every city as a registered candidate (or a member with reports and an award), its outbox
        // already delivered and stored cleared, as a city that was written and deactivated leaves it.
        var ids = new string[warmup + cities];
        for (var i = 0; i < ids.Length; i++)
        {
            var country = countries[i % countries.Length];
            var name = string.Create(CultureInfo.InvariantCulture, $"Memory City {i}");
            var id = GrainKeys.NewCityId(country, name);
            var state = CityRules.Register(new CityState(), id, Actor.Coordinator, new RegisterCity(name, country, 20_000 + i, $"Mayor {i}"), Now);
            if (member)
            {
                state = Samples.MemberState() with { Id = id, Name = name, Country = country, Version = state.Version };
            }

            state = state with { PendingEvents = PersistedCollections.EmptyList<Events.DomainEvent>(), PendingSummary = null };
            store[BytesGrainStorage.KeyOf(GrainId.Create("gnlc-city", GrainKeys.City(id)))] = serializer.SerializeToArray(state);
            ids[i] = id;
        }

        // Warm-up activations stay active: JIT, codec and type caches and the silo's first tables are in both figures.
        await ActivateAsync(grains, ids.AsMemory(0, warmup));
        var before = Settle();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"pid {Environment.ProcessId}: {warmup} warm-up activations, live heap {before:N0} B"));
        WaitIf(pause, "before");

        var clock = Stopwatch.StartNew();
        await ActivateAsync(grains, ids.AsMemory(warmup, cities));
        clock.Stop();
        var after = Settle();
        var mgmt = grains.GetGrain<IManagementGrain>(0);
        var active = (await mgmt.GetSimpleGrainStatistics()).Where(s => s.GrainType.Contains("City", StringComparison.Ordinal)).Sum(s => s.ActivationCount);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{cities} city activations ({(member ? "members with reports and an award" : "registered candidates")}) in {clock.Elapsed.TotalSeconds:0.0} s; city activations now {active}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"live heap {after:N0} B: +{after - before:N0} B, {(after - before) / (double)cities:N0} B per activated city grain"));
        WaitIf(pause, "after");
        await host.StopAsync();
        return 0;
    }

    private static async Task ActivateAsync(IGrainFactory grains, ReadOnlyMemory<string> ids)
    {
        var next = -1;
        var workers = Enumerable.Range(0, 64).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < ids.Length)
            {
                var view = await grains.GetGrain<ICityGrain>(GrainKeys.City(ids.Span[i])).GetAsync();
                if (view.Id != ids.Span[i])
                {
                    throw new InvalidOperationException($"City {ids.Span[i]} answered as {view.Id}.");
                }
            }
        });
        await Task.WhenAll(workers);
    }

    /// <summary>The live managed heap after full, compacting collections (finalizers run in between).</summary>
    private static long Settle()
    {
        Thread.Sleep(TimeSpan.FromSeconds(1));
        for (var i = 0; i < 3; i++)
        {
            GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
        }

        return GC.GetTotalMemory(forceFullCollection: true);
    }

    private static void WaitIf(bool pause, string point)
    {
        if (pause)
        {
            Console.WriteLine($"paused at '{point}': take the snapshot (dotnet-gcdump collect -p {Environment.ProcessId}), then press Enter");
            Console.ReadLine();
        }
    }

    private static int IntOption(string[] args, string name, int fallback)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? int.Parse(args[at + 1], CultureInfo.InvariantCulture) : fallback;
    }

    /// <summary>A grain store of serialized states, read back the way the ADO.NET store does (fresh objects, a version ETag).</summary>
    private sealed class BytesGrainStorage(ConcurrentDictionary<string, byte[]> store, Serializer serializer) : IGrainStorage
    {
        public static string KeyOf(GrainId grainId) => grainId.ToString();

        public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
        {
            if (store.TryGetValue(KeyOf(grainId), out var data))
            {
                grainState.State = serializer.Deserialize<T>(data);
                grainState.ETag = "1";
                grainState.RecordExists = true;
            }

            return Task.CompletedTask;
        }

        public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
        {
            store[KeyOf(grainId)] = serializer.SerializeToArray(grainState.State);
            grainState.ETag = "2";
            grainState.RecordExists = true;
            return Task.CompletedTask;
        }

        public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
        {
            store.TryRemove(KeyOf(grainId), out _);
            grainState.ETag = null;
            grainState.RecordExists = false;
            return Task.CompletedTask;
        }
    }
}
