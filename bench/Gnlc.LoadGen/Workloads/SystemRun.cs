using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Gnlc.LoadGen.Baselines;
using Gnlc.LoadGen.Measurement;
using Gnlc.LoadGen.Target;
using Gnlc.Reference;

namespace Gnlc.LoadGen.Workloads;

/// <summary>
/// Every workload against one running system, in an order where each sets up the next: register cities (the
/// seed), reads, the application cycle (period, drafts, mayor endorsements, submissions, commission endorsements),
/// the mixed workload, growing the city count (memory per city), then the event feed and idle subscribers. A
/// workload whose route is not mapped is reported as skipped and the run goes on.
/// </summary>
internal sealed class SystemRun : IDisposable
{
    private static readonly HttpMethod Patch = HttpMethod.Patch;

    private readonly SystemOptions _o;
    private readonly GnlcApi _api;
    private readonly string[] _countries;
    private readonly ConcurrentDictionary<string, string> _mayorTokens = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _commissionTokens = new(StringComparer.Ordinal);
    private readonly List<string> _cities = [];
    private long _nextCityIndex;
    private string? _coordinator;
    private string? _periodId;
    private string? _blocked;

    public SystemRun(SystemOptions options)
    {
        _o = options;
        _api = new GnlcApi(options.Url, Math.Max(Math.Max(options.ReadConcurrency, options.WriteConcurrency), options.ScaleConcurrency) + 8);
        // The 194 Member States: one National Commission each ("194 commissions").
        _countries = [.. MemberStates.All.Where(s => s.Status == "member_state").Select(s => s.Code)];
    }

    private string Mode => _o.Mode;

    private RunLength Timed => RunLength.Timed(_o.Warmup, _o.Duration);

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        Console.WriteLine($"== {Mode}: {_o.Url} (server pid {_o.ServerPid}, grain pid {_o.GrainPid}), tag {_o.Tag}");
        await _api.WaitReadyAsync(TimeSpan.FromMinutes(3), cancellationToken);
        try
        {
            _coordinator = await _api.TokenAsync("coordinator", null, null, null, cancellationToken);
        }
        catch (RouteUnavailableException error)
        {
            _blocked = error.Message;
        }

        // The seed is the process's first write workload: its first quarter warms the write path up (JIT tiering, first
        // activations) untimed, the servers are given time to finish compiling it; the rest is the registration rate.
        var warmUp = _o.Settle > TimeSpan.Zero ? _o.SeedCities / 4 : 0;
        await StepAsync(WorkloadNames.Register, async () =>
        {
            if (warmUp > 0)
            {
                await RegisterAsync(WorkloadNames.Register, warmUp, cancellationToken);
                await SettleAsync("registration", cancellationToken);
            }

            return await RegisterAsync(WorkloadNames.Register, _o.SeedCities - warmUp, cancellationToken);
        });
        await WriteSampleAsync(cancellationToken);

        if (Wants(SystemOptions.Reads))
        {
            await ReadsAsync(cancellationToken);
        }

        if (Wants(SystemOptions.Writes))
        {
            await WritesAsync(cancellationToken);
        }

        if (Wants(SystemOptions.Mixed))
        {
            await StepAsync(WorkloadNames.Mixed, () => MixedAsync(cancellationToken));
        }

        // Before the event feed: thousands of connections leave buffers behind that would blur the memory per city.
        if (Wants(SystemOptions.Scale))
        {
            await ScaleAsync(cancellationToken);
        }

        if (Wants(SystemOptions.Feed))
        {
            var name = WorkloadNames.FeedLatency(_o.FeedSubscribers, _o.FeedRate);
            await StepAsync(name, () => new EventFeed(_o, _api, Mode).DeliveryLatencyAsync(name, RegisterForFeedAsync, cancellationToken), needsCities: false);
        }

        if (Wants(SystemOptions.Idle))
        {
            var name = WorkloadNames.FeedIdle(_o.IdleSubscribers);
            await StepAsync(name, () => new EventFeed(_o, _api, Mode).IdleAsync(name, cancellationToken), needsCities: false, needsToken: false);
        }
    }

    public void Dispose() => _api.Dispose();

    private bool Wants(string workload) => _o.Workloads.Contains(workload);

    /// <summary>Runs one workload; a missing route or a failed prerequisite becomes a skipped line, not a failed run.</summary>
    private async Task StepAsync(string name, Func<Task<WorkloadResult>> step, bool needsCities = true, bool needsToken = true)
    {
        WorkloadResult result;
        if (needsToken && _coordinator is null)
        {
            result = WorkloadResult.Skip(Mode, name, _blocked ?? "no coordinator token");
        }
        else if (needsCities && name != WorkloadNames.Register && _cities.Count == 0)
        {
            result = WorkloadResult.Skip(Mode, name, "needs registered cities: " + (_blocked ?? "none were registered"));
        }
        else
        {
            try
            {
                result = await step();
            }
            catch (RouteUnavailableException error)
            {
                result = WorkloadResult.Skip(Mode, name, error.Message);
                if (name == WorkloadNames.Register)
                {
                    _blocked = error.Message;
                }
            }
            catch (Exception error) when (error is InvalidOperationException or HttpRequestException or TimeoutException or JsonException or KeyNotFoundException or Npgsql.NpgsqlException)
            {
                result = WorkloadResult.Skip(Mode, name, "failed: " + error.Message);
            }
        }

        ResultStore.Append(_o.Results, result);
    }

    // ---- register (the seed, and growing to the scale levels) -------------------------------------------------

    private async Task<WorkloadResult> RegisterAsync(string name, int count, CancellationToken cancellationToken, int? concurrency = null)
    {
        var workers = concurrency ?? _o.WriteConcurrency;
        var added = new ConcurrentBag<string>();
        var first = _nextCityIndex;
        var cpu = new CpuPerOperation(_o.ServerPid, _o.GrainPid, await CpuPerOperation.PostmasterPidAsync(_o.StoreConnection, cancellationToken));
        var outcome = await LoadRunner.RunAsync(workers, RunLength.Counted(count), async (seq, ct) =>
        {
            var (error, id) = await RegisterOneAsync(first + seq, ct);
            if (id is not null)
            {
                added.Add(id);
            }

            return error;
        }, cancellationToken, () => MeasuringFrom(name, cpu));
        _nextCityIndex = first + count;
        // Registration order does not matter for the workloads; sort so that runs pick the same subsets.
        _cities.AddRange(added.Order(StringComparer.Ordinal));
        // The Npgsql baseline runs at the write concurrency: a registration at another concurrency has no ratio.
        return WorkloadResult.From(Mode, name, workers, outcome, workers == _o.WriteConcurrency ? BaselineKeys.Npgsql : null,
            string.Create(CultureInfo.InvariantCulture, $"{_cities.Count} cities registered in all; {cpu.Note(outcome.Latency.Count)}"));
    }

    private async Task<(string? Error, string? Id)> RegisterOneAsync(long index, CancellationToken cancellationToken)
    {
        var country = _countries[index % _countries.Length];
        var body = GnlcApi.Body(new
        {
            name = string.Create(CultureInfo.InvariantCulture, $"Bench {_o.Tag} {index}"),
            countryCode = country,
            population = 20_000 + (index * 7919 % 5_000_000),
            mayor = string.Create(CultureInfo.InvariantCulture, $"Mayor {index}"),
        });
        var response = await _api.SendAsync(HttpMethod.Post, "/api/v1/cities", "POST /api/v1/cities", body, _coordinator, cancellationToken);
        if (!response.IsSuccess)
        {
            return (response.ErrorKey, null);
        }

        var id = response.Body.Length > 0 && response.Json() is { ValueKind: JsonValueKind.Object } json && json.TryGetProperty("id", out var p)
            ? p.GetString()
            : response.Headers?.Location?.ToString().Split('/')[^1];
        return (null, id);
    }

    /// <summary>The event feed's writer: one registration, returning the new city's id once acknowledged.</summary>
    private async Task<string?> RegisterForFeedAsync(CancellationToken cancellationToken)
    {
        var index = Interlocked.Increment(ref _nextCityIndex) - 1;
        var (error, id) = await RegisterOneAsync(index, cancellationToken);
        return error is null ? id : null;
    }

    private async Task WriteSampleAsync(CancellationToken cancellationToken)
    {
        if (_o.SampleOut is null || _cities.Count == 0)
        {
            return;
        }

        try
        {
            var response = await _api.GetAsync("/api/v1/cities/" + _cities[0], "GET /api/v1/cities/{cityId}", cancellationToken);
            if (response.IsSuccess)
            {
                await File.WriteAllBytesAsync(_o.SampleOut, response.Body, cancellationToken);
            }
        }
        catch (RouteUnavailableException)
        {
            // The city GET workload reports the missing route.
        }
    }

    // ---- reads ---------------------------------------------------------------------------------------------

    private async Task ReadsAsync(CancellationToken cancellationToken)
    {
        if (_o.ReadWarmup > TimeSpan.Zero && _cities.Count > 0)
        {
            Console.WriteLine($"  [{Mode}] warming up the read path for {_o.ReadWarmup.TotalSeconds:0} s (unmeasured)");
            await LoadRunner.RunAsync(_o.ReadConcurrency, RunLength.Timed(TimeSpan.Zero, _o.ReadWarmup), (seq, ct) => (seq % 3) switch
            {
                0 => CityGetAsync(ct),
                1 => Get("/api/v1/cities?page=1&pageSize=50", "GET /api/v1/cities", ct),
                _ => Get("/api/v1/network/stats", "GET /api/v1/network/stats", ct),
            }, cancellationToken);
            await SettleAsync("the read path", cancellationToken);
        }

        if (_o.KestrelUrl is { } kestrel)
        {
            // The read ceiling, measured now (not at the end of the run) so that it shares this moment's machine load,
            // in alternating pairs with the city GET (SystemOptions.ReadPairs).
            (WorkloadResult Ceiling, WorkloadResult CityGet)? median = null;
            await StepAsync(WorkloadNames.KestrelBaseline, async () =>
            {
                median = await CityGetPairsAsync(kestrel, cancellationToken);
                return median.Value.Ceiling;
            }, needsToken: false);
            await StepAsync(WorkloadNames.CityGet, () => median is { } pair
                ? Task.FromResult(pair.CityGet)
                : throw new InvalidOperationException("its bare Kestrel ceiling was not measured"));
        }
        else
        {
            await StepAsync(WorkloadNames.CityGet, () => MeasureCityGetAsync(cancellationToken));
        }

        await StepAsync(WorkloadNames.DirectoryPage, () => ReadAsync(WorkloadNames.DirectoryPage, (_, ct) =>
            Get("/api/v1/cities?page=1&pageSize=50", "GET /api/v1/cities", ct), cancellationToken));
        await StepAsync(WorkloadNames.Stats, () => ReadAsync(WorkloadNames.Stats, (_, ct) =>
            Get("/api/v1/network/stats", "GET /api/v1/network/stats", ct), cancellationToken), needsCities: false, needsToken: false);
    }

    /// <summary>
    /// The bare Kestrel ceiling and the city GET, measured in turn <see cref="SystemOptions.ReadPairs"/> times; the pair
    /// with the median ratio, whose notes list every pair's ratio (the spread is the machine's drift between windows).
    /// </summary>
    private async Task<(WorkloadResult Ceiling, WorkloadResult CityGet)> CityGetPairsAsync(Uri kestrel, CancellationToken cancellationToken)
    {
        var sample = await _api.GetAsync("/api/v1/cities/" + _cities[0], "GET /api/v1/cities/{cityId}", cancellationToken);
        var pairs = new List<(WorkloadResult Ceiling, WorkloadResult CityGet, double Ratio)>();
        for (var i = 0; i < Math.Max(1, _o.ReadPairs); i++)
        {
            var ceiling = await KestrelBaseline.MeasureAsync(kestrel, _o.ReadConcurrency, Timed, Mode, sample.IsSuccess ? sample.Body : null, cancellationToken);
            var cityGet = await MeasureCityGetAsync(cancellationToken);
            var ratio = ceiling.Throughput > 0 ? cityGet.Throughput / ceiling.Throughput : 0;
            pairs.Add((ceiling, cityGet, ratio));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  [{Mode}] pair {i + 1}: ratio {ratio:0.00}; bare Kestrel {ceiling.Throughput:0}/s ({ceiling.Notes}); city GET {cityGet.Throughput:0}/s ({cityGet.Notes})"));
        }

        var median = pairs.OrderBy(p => p.Ratio).ElementAt(pairs.Count / 2);
        if (pairs.Count == 1)
        {
            return (median.Ceiling, median.CityGet);
        }

        var ratios = string.Join(", ", pairs.Select(p => p.Ratio.ToString("0.00", CultureInfo.InvariantCulture)));
        var note = $"the pair of median ratio among {pairs.Count} alternating pairs (city GET / bare Kestrel: {ratios})";
        return (median.Ceiling.WithNote(note), median.CityGet.WithNote(note));
    }

    private async Task<WorkloadResult> MeasureCityGetAsync(CancellationToken cancellationToken)
    {
        // CPU per request of the Api (and Silo) and the load generator: on 2 cores their sum decides the ratio.
        var cpu = new CpuPerOperation(_o.ServerPid, _o.GrainPid, null);
        var outcome = await LoadRunner.RunAsync(_o.ReadConcurrency, Timed, (_, ct) => CityGetAsync(ct), cancellationToken,
            () => MeasuringFrom(WorkloadNames.CityGet, cpu));
        var result = WorkloadResult.From(Mode, WorkloadNames.CityGet, _o.ReadConcurrency, outcome, BaselineKeys.Kestrel);
        var sample = await _api.GetAsync("/api/v1/cities/" + _cities[0], "GET /api/v1/cities/{cityId}", cancellationToken);
        var bodyBytes = sample.Body.Length;
        return result.WithNote($"body {bodyBytes} B").WithNote(cpu.Note(outcome.Latency.Count)).WithFigure(FigureNames.BodyBytes, bodyBytes);
    }

    private async Task<WorkloadResult> ReadAsync(string name, Operation operation, CancellationToken cancellationToken)
    {
        var outcome = await LoadRunner.RunAsync(_o.ReadConcurrency, Timed, operation, cancellationToken);
        return WorkloadResult.From(Mode, name, _o.ReadConcurrency, outcome, BaselineKeys.Kestrel);
    }

    private ValueTask<string?> CityGetAsync(CancellationToken cancellationToken) =>
        Get("/api/v1/cities/" + RandomCity(), "GET /api/v1/cities/{cityId}", cancellationToken);

    private async ValueTask<string?> Get(string path, string route, CancellationToken cancellationToken) =>
        (await _api.GetAsync(path, route, cancellationToken)).ErrorKey;

    private string RandomCity() => _cities[Random.Shared.Next(_cities.Count)];

    // ---- the application cycle -------------------------------------------------------------------------------

    private async Task WritesAsync(CancellationToken cancellationToken)
    {
        // Spread over every country, as real applications are: ~5 per commission for 1,000 cities.
        var subset = Spread(_cities).Take(Math.Min(_o.SubmitCities, _cities.Count)).ToArray();
        var quota = 3;
        try
        {
            if (_coordinator is not null && subset.Length > 0)
            {
                quota = await OpenPeriodAsync(cancellationToken);
                await MayorTokensAsync(subset, cancellationToken);
            }
        }
        catch (Exception error) when (error is RouteUnavailableException or InvalidOperationException or TimeoutException or JsonException)
        {
            foreach (var name in new[] { WorkloadNames.SaveDraft, WorkloadNames.MayorEndorsement, WorkloadNames.Submit, WorkloadNames.CommissionEndorse })
            {
                ResultStore.Append(_o.Results, WorkloadResult.Skip(Mode, name, "setup failed: " + error.Message));
            }

            return;
        }

        await WarmUpWritesAsync(cancellationToken);

        if (_o.NpgsqlConnection is { } npgsql)
        {
            // The write ceiling, measured now on the same PostgreSQL server, with a payload the size of a stored city.
            await StepAsync(WorkloadNames.NpgsqlBaselinePrefix, async () =>
            {
                var payload = _o.StoreConnection is { } store ? await NpgsqlBaseline.CityPayloadBytesAsync(store, cancellationToken) : null;
                var cpu = new CpuPerOperation(_o.ServerPid, _o.GrainPid, await CpuPerOperation.PostmasterPidAsync(npgsql, cancellationToken));
                return await NpgsqlBaseline.MeasureAsync(npgsql, _o.WriteConcurrency, payload ?? _o.PayloadBytes, Timed, Mode, cancellationToken, cpu);
            }, needsCities: false, needsToken: false);
        }

        // Drafts, then mayor endorsements (a counted 1,000 took half a second: too short to read): each timed, cycling
        // through the subset so that every city gets one; each operation is a real change (a new revision or statement),
        // so one state write.
        var postmaster = await CpuPerOperation.PostmasterPidAsync(_o.StoreConnection, cancellationToken);
        await StepAsync(WorkloadNames.SaveDraft, () => TimedOverCitiesAsync(WorkloadNames.SaveDraft, subset, postmaster, SaveDraftAsync, cancellationToken));
        await StepAsync(WorkloadNames.MayorEndorsement, () => TimedOverCitiesAsync(WorkloadNames.MayorEndorsement, subset, postmaster, EndorseAsMayorAsync, cancellationToken));

        await StepAsync(WorkloadNames.Submit, () => CountedWriteAsync(WorkloadNames.Submit, subset, SubmitAsync, cancellationToken));

        // Commission endorsements: each country's first `quota` submitted cities (the quota is the period's).
        var endorsable = Spread(subset.GroupBy(c => c[..2], StringComparer.Ordinal).SelectMany(g => g.Take(quota))).ToArray();
        await StepAsync(WorkloadNames.CommissionEndorse, async () =>
        {
            await CommissionTokensAsync(endorsable.Select(CommissionOf).Distinct(StringComparer.Ordinal), cancellationToken);
            var result = await CountedWriteAsync(WorkloadNames.CommissionEndorse, endorsable, CommissionEndorseAsync, cancellationToken);
            return result.WithNote($"quota {quota} per commission");
        });
    }

    /// <summary>
    /// Every write path once, untimed, on up to 100 cities that neither the measured writes nor the mixed workload use:
    /// save draft, mayor endorsement, submit, and a commission endorsement withdrawn at once (so no quota is taken).
    /// Submit and commission endorse are counted workloads, each the first run of its path: without this their whole
    /// window fell while the tiered JIT compiled them. Then the servers are given time to finish compiling.
    /// </summary>
    private async Task WarmUpWritesAsync(CancellationToken cancellationToken)
    {
        if (_o.Settle <= TimeSpan.Zero || _periodId is null)
        {
            return;
        }

        var spare = Spread(_cities).Skip(_o.SubmitCities + _o.MixedCities).Take(100).ToArray();
        if (spare.Length > 0)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  [{Mode}] warming up the write paths on {spare.Length} other cities (unmeasured)"));
            await MayorTokensAsync(spare, cancellationToken);
            await UntimedAsync(spare, (city, ct) => SaveDraftAsync(city, 0, ct), cancellationToken);
            await UntimedAsync(spare, (city, ct) => EndorseAsMayorAsync(city, 0, ct), cancellationToken);
            await UntimedAsync(spare, SubmitAsync, cancellationToken);
            var firstPerCountry = spare.GroupBy(c => c[..2], StringComparer.Ordinal).Select(g => g.First()).ToArray();
            await CommissionTokensAsync(firstPerCountry.Select(CommissionOf).Distinct(StringComparer.Ordinal), cancellationToken);
            await UntimedAsync(firstPerCountry, async (city, ct) =>
            {
                var country = CommissionOf(city);
                return await CommissionEndorseAsync(city, ct)
                    ?? (await _api.SendAsync(HttpMethod.Delete, $"/api/v1/commissions/{country}/periods/{_periodId}/endorsements/{city}",
                        "DELETE /api/v1/commissions/{country}/periods/{periodId}/endorsements/{cityId}", null, _commissionTokens[country], ct)).ErrorKey;
            }, cancellationToken);
        }

        await SettleAsync("the write paths", cancellationToken);
    }

    private async Task UntimedAsync(string[] cities, Func<string, CancellationToken, ValueTask<string?>> write, CancellationToken cancellationToken)
    {
        var outcome = await LoadRunner.RunAsync(_o.WriteConcurrency, RunLength.Counted(cities.Length), (seq, ct) => write(cities[seq], ct), cancellationToken);
        if (outcome.Errors > 0)
        {
            // Not a result, but worth seeing: a failing warm-up leaves a path cold.
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  [{Mode}] warm-up errors: {outcome.ErrorSummary}"));
        }
    }

    /// <summary>
    /// Waits, at most <see cref="SystemOptions.Settle"/>, until the Api and the Silo together use under a tenth of
    /// a core for a second: the tiered JIT's background compilation of what the warm-up ran has then finished.
    /// </summary>
    private async Task SettleAsync(string after, CancellationToken cancellationToken)
    {
        var pids = new[] { _o.ServerPid, _o.GrainPid }.Where(p => p > 0).Distinct().ToArray();
        double? Busy() => pids.Length == 0 ? null : pids.Sum(p => ProcessCpu.Seconds(p) ?? 0);
        var started = Stopwatch.GetTimestamp();
        var quiet = 0;
        var last = Busy();
        while (last is not null && quiet < 2 && Stopwatch.GetElapsedTime(started) < _o.Settle)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(500), cancellationToken);
            var now = Busy();
            quiet = now - last < 0.05 ? quiet + 1 : 0;
            last = now;
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  [{Mode}] after the warm-up of {after}: servers {(quiet >= 2 ? "idle" : "still busy")} after {Stopwatch.GetElapsedTime(started).TotalSeconds:0.0} s"));
    }

    private async Task<WorkloadResult> CountedWriteAsync(string name, string[] cities, Func<string, CancellationToken, ValueTask<string?>> write, CancellationToken cancellationToken)
    {
        var cpu = new CpuPerOperation(_o.ServerPid, _o.GrainPid, await CpuPerOperation.PostmasterPidAsync(_o.StoreConnection, cancellationToken));
        var outcome = await LoadRunner.RunAsync(_o.WriteConcurrency, RunLength.Counted(cities.Length), (seq, ct) => write(cities[seq], ct), cancellationToken,
            () => MeasuringFrom(name, cpu));
        return WorkloadResult.From(Mode, name, _o.WriteConcurrency, outcome, BaselineKeys.Npgsql).WithNote(cpu.Note(outcome.Latency.Count));
    }

    // Marks the measured window on stderr (for a profiler to attach to) and starts the CPU probe.
    private static void MeasuringFrom(string workload, CpuPerOperation cpu)
    {
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[{DateTime.UtcNow:HH:mm:ss}] measuring: {workload}"));
        cpu.Start();
    }

    // A city id starts with its country's code; the commission's key is the code in upper case.
    private static string CommissionOf(string city) => city[..2].ToUpperInvariant();

    private ValueTask<string?> SubmitAsync(string city, CancellationToken cancellationToken) =>
        Post($"/api/v1/cities/{city}/applications/{_periodId}/submit", "POST /api/v1/cities/{cityId}/applications/{periodId}/submit",
            null, _mayorTokens[city], cancellationToken);

    private ValueTask<string?> CommissionEndorseAsync(string city, CancellationToken cancellationToken)
    {
        var country = CommissionOf(city);
        return Post($"/api/v1/commissions/{country}/periods/{_periodId}/endorsements", "POST /api/v1/commissions/{country}/periods/{periodId}/endorsements",
            new { cityId = city }, _commissionTokens[country], cancellationToken);
    }

    private ValueTask<string?> EndorseAsMayorAsync(string city, int revision, CancellationToken cancellationToken) =>
        Post($"/api/v1/cities/{city}/applications/{_periodId}/mayor-endorsement", "POST /api/v1/cities/{cityId}/applications/{periodId}/mayor-endorsement",
            new { statement = string.Create(CultureInfo.InvariantCulture, $"I, the mayor, formally endorse this application (revision {revision + 1}).") },
            _mayorTokens[city], cancellationToken);

    /// <summary>
    /// A write timed for the run's duration, its <c>n</c>th pass over <paramref name="cities"/> given as the revision;
    /// then a short untimed run does it once for every city the timed run did not reach, as the next steps need.
    /// </summary>
    private async Task<WorkloadResult> TimedOverCitiesAsync(
        string name, string[] cities, int? postmaster, Func<string, int, CancellationToken, ValueTask<string?>> write, CancellationToken cancellationToken)
    {
        var done = new ConcurrentDictionary<string, bool>(StringComparer.Ordinal);
        var cpu = new CpuPerOperation(_o.ServerPid, _o.GrainPid, postmaster);
        var outcome = await LoadRunner.RunAsync(_o.WriteConcurrency, Timed, async (seq, ct) =>
        {
            var city = cities[seq % cities.Length];
            var error = await write(city, (int)(seq / cities.Length), ct);
            if (error is null)
            {
                done[city] = true;
            }

            return error;
        }, cancellationToken, () => MeasuringFrom(name, cpu));
        await UntimedAsync([.. cities.Where(c => !done.ContainsKey(c))], (city, ct) => write(city, 0, ct), cancellationToken);
        return WorkloadResult.From(Mode, name, _o.WriteConcurrency, outcome, BaselineKeys.Npgsql).WithNote(cpu.Note(outcome.Latency.Count));
    }

    private ValueTask<string?> SaveDraftAsync(string city, int revision, CancellationToken cancellationToken) =>
        Put($"/api/v1/cities/{city}/applications/{_periodId}", "PUT /api/v1/cities/{cityId}/applications/{periodId}",
            Forms.Application(250_000, revision), _mayorTokens[city], cancellationToken);

    private async ValueTask<string?> Post(string path, string route, object? body, string token, CancellationToken cancellationToken) =>
        (await _api.SendAsync(HttpMethod.Post, path, route, body is null ? null : GnlcApi.Body(body), token, cancellationToken)).ErrorKey;

    private async ValueTask<string?> Put(string path, string route, object body, string token, CancellationToken cancellationToken) =>
        (await _api.SendAsync(HttpMethod.Put, path, route, GnlcApi.Body(body), token, cancellationToken)).ErrorKey;

    /// <summary>Schedules a period that opens now (server clock) and waits until it is Open; returns its quota.</summary>
    private async Task<int> OpenPeriodAsync(CancellationToken cancellationToken)
    {
        var now = DateTimeOffset.UtcNow;
        try
        {
            var clock = await _api.GetAsync("/api/v1/dev/clock", "GET /api/v1/dev/clock", cancellationToken);
            if (clock.IsSuccess && clock.Json().TryGetProperty("now", out var n))
            {
                now = n.GetDateTimeOffset();
            }
        }
        catch (RouteUnavailableException)
        {
            // The system clock it is.
        }

        var id = _o.Tag;
        var opensAt = now.ToString("O", CultureInfo.InvariantCulture);
        // The regulations' windows and quota (3 per commission): the commission workload endorses 3 per country.
        var response = await _api.SendAsync(HttpMethod.Post, "/api/v1/periods", "POST /api/v1/periods",
            GnlcApi.Body(new { id, opensAt }), _coordinator, cancellationToken);

        if (!response.IsSuccess)
        {
            // A period may already be open in this store (the two-year cadence refuses a second one): use it.
            var periods = await _api.GetAsync("/api/v1/periods", "GET /api/v1/periods", cancellationToken);
            var open = periods.IsSuccess ? Items(periods.Json()).FirstOrDefault(p => Phase(p) == "Open") : default;
            if (open.ValueKind != JsonValueKind.Object)
            {
                throw new InvalidOperationException($"POST /api/v1/periods answered {response.ErrorKey} and no period is Open");
            }

            id = open.GetProperty("id").GetString()!;
        }

        _periodId = id;
        for (var attempt = 0; attempt < 40; attempt++)
        {
            var period = await _api.GetAsync("/api/v1/periods/" + id, "GET /api/v1/periods/{periodId}", cancellationToken);
            if (period.IsSuccess && Phase(period.Json()) == "Open")
            {
                var json = period.Json();
                return json.TryGetProperty("quota", out var q) && q.ValueKind == JsonValueKind.Number ? q.GetInt32()
                    : json.TryGetProperty("schedule", out var s) && s.TryGetProperty("quota", out var sq) && sq.ValueKind == JsonValueKind.Number ? sq.GetInt32()
                    : 3;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(250), cancellationToken);
        }

        throw new TimeoutException($"period '{id}' did not become Open");
    }

    private static JsonElement[] Items(JsonElement json) =>
        json.ValueKind == JsonValueKind.Array ? [.. json.EnumerateArray()]
        : json.TryGetProperty("items", out var items) ? [.. items.EnumerateArray()]
        : [];

    private static string? Phase(JsonElement period) =>
        period.TryGetProperty("phase", out var phase) ? phase.GetString() : null;

    private Task MayorTokensAsync(IEnumerable<string> cities, CancellationToken cancellationToken) =>
        Parallel.ForEachAsync(cities.Where(c => !_mayorTokens.ContainsKey(c)), new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = cancellationToken },
            async (city, ct) => _mayorTokens[city] = await _api.TokenAsync("city", null, city, "mayor", ct));

    private Task CommissionTokensAsync(IEnumerable<string> countries, CancellationToken cancellationToken) =>
        Parallel.ForEachAsync(countries.Where(c => !_commissionTokens.ContainsKey(c)), new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = cancellationToken },
            async (country, ct) => _commissionTokens[country] = await _api.TokenAsync("commission", country, null, null, ct));

    // ---- mixed ----------------------------------------------------------------------------------------------

    /// <summary>
    /// Shaped like the real network: mostly public reads (profiles, directory pages, statistics, the period), and
    /// 10% writes by cities (drafts, profile updates) and the coordinator (registrations).
    /// </summary>
    private async Task<WorkloadResult> MixedAsync(CancellationToken cancellationToken)
    {
        var editors = Spread(_cities).Skip(_o.SubmitCities).Take(_o.MixedCities).ToArray();
        if (editors.Length == 0)
        {
            editors = [.. Spread(_cities).Take(_o.MixedCities)];
        }

        await MayorTokensAsync(editors, cancellationToken);
        var outcome = await LoadRunner.RunAsync(_o.ReadConcurrency, Timed, async (seq, ct) =>
        {
            var dice = Random.Shared.Next(100);
            var editor = editors[Random.Shared.Next(editors.Length)];
            return dice switch
            {
                < 55 => await CityGetAsync(ct),
                < 65 => await Get("/api/v1/cities?page=1&pageSize=50", "GET /api/v1/cities", ct),
                < 70 => await Get($"/api/v1/cities?country={_countries[Random.Shared.Next(_countries.Length)]}&page=1&pageSize=50", "GET /api/v1/cities?country=", ct),
                < 75 => await Get($"/api/v1/cities?q={Random.Shared.Next(1000)}&page=1&pageSize=50", "GET /api/v1/cities?q=", ct),
                < 85 => await Get("/api/v1/network/stats", "GET /api/v1/network/stats", ct),
                < 90 => _periodId is null ? await CityGetAsync(ct) : await Get("/api/v1/periods/" + _periodId, "GET /api/v1/periods/{periodId}", ct),
                < 96 when _periodId is not null => await SaveDraftAsync(editor, (int)seq, ct),
                < 99 => (await _api.SendAsync(Patch, "/api/v1/cities/" + editor, "PATCH /api/v1/cities/{cityId}",
                    GnlcApi.Body(new { population = 100_000 + seq }), _mayorTokens[editor], ct)).ErrorKey,
                _ => (await RegisterOneAsync(Interlocked.Increment(ref _nextCityIndex) - 1, ct)).Error,
            };
        }, cancellationToken);
        return WorkloadResult.From(Mode, WorkloadNames.Mixed, _o.ReadConcurrency, outcome, BaselineKeys.Kestrel,
            string.Create(CultureInfo.InvariantCulture, $"{_cities.Count} cities, {_countries.Length} commissions"));
    }

    // ---- scale ----------------------------------------------------------------------------------------------

    /// <summary>
    /// Grows the network to each level, then measures reads and the grain process's memory there. Registration
    /// activates each city grain, so the RSS growth per added city is an upper bound of a city grain's memory
    /// (it also holds the directory's summary and the store's caches).
    /// </summary>
    private async Task ScaleAsync(CancellationToken cancellationToken)
    {
        foreach (var level in _o.ScaleLevels.Order())
        {
            if (_coordinator is null || level <= _cities.Count)
            {
                continue;
            }

            var before = _cities.Count;
            var rssBefore = ProcessMemory.RssBytes(_o.GrainPid);
            await StepAsync(WorkloadNames.ScaleRegister(level), () => RegisterAsync(WorkloadNames.ScaleRegister(level), level - before, cancellationToken, _o.ScaleConcurrency), needsCities: false);
            if (_cities.Count == before)
            {
                return;
            }

            await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken);
            var rssAfter = ProcessMemory.RssBytes(_o.GrainPid);
            var serverRss = ProcessMemory.RssBytes(_o.ServerPid);
            var perCity = rssBefore is { } b && rssAfter is { } a ? (a - b) / (double)(_cities.Count - before) : double.NaN;
            var memory = string.Create(CultureInfo.InvariantCulture,
                $"{_cities.Count} cities; grain process RSS {Mb(rssAfter)} MB, +{perCity / 1024:0.0} KB per added city");
            await StepAsync(WorkloadNames.ScaleCityGet(level), async () =>
            {
                var result = await ReadAsync(WorkloadNames.ScaleCityGet(level), (_, ct) => CityGetAsync(ct), cancellationToken);
                return result.WithNote(memory)
                    .WithFigure(FigureNames.Cities, _cities.Count)
                    .WithFigure(FigureNames.GrainRssMb, rssAfter is { } r ? ProcessMemory.Mb(r) : double.NaN)
                    .WithFigure(FigureNames.ServerRssMb, serverRss is { } s ? ProcessMemory.Mb(s) : double.NaN)
                    .WithFigure(FigureNames.BytesPerCity, perCity);
            });
            await StepAsync(WorkloadNames.ScaleDirectory(level), () => ReadAsync(WorkloadNames.ScaleDirectory(level), (_, ct) =>
                Get("/api/v1/cities?page=1&pageSize=50", "GET /api/v1/cities", ct), cancellationToken));
        }
    }

    /// <summary>Cities interleaved by country (the first of every country, then the second, ...), in a stable order.</summary>
    private static IEnumerable<string> Spread(IEnumerable<string> cities) =>
        cities.GroupBy(c => c[..2], StringComparer.Ordinal)
            .SelectMany(g => g.Order(StringComparer.Ordinal).Select((city, rank) => (city, rank)))
            .OrderBy(x => x.rank).ThenBy(x => x.city, StringComparer.Ordinal)
            .Select(x => x.city);

    private static string Mb(long? bytes) => bytes is { } b ? ProcessMemory.Mb(b).ToString("0", CultureInfo.InvariantCulture) : "?";
}
