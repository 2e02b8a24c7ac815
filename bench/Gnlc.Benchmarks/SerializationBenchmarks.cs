using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Gnlc.Applications;
using Gnlc.Cities;
using Gnlc.Events;
using Gnlc.Network;
using Gnlc.State;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;

namespace Gnlc.Benchmarks;

/// <summary>
/// Orleans' binary serializer on what crosses the wire and the store: city grain state (every commit writes it,
/// every activation reads it), the city view (every city GET returns it to the API), a domain event (the feed).
/// </summary>
[MemoryDiagnoser]
public class OrleansSerializationBenchmarks : IDisposable
{
    private ServiceProvider? _services;
    private Serializer _serializer = null!;
    private CityState _candidate = null!;
    private CityState _member = null!;
    private CityView _view = null!;
    private DomainEvent _event = null!;
    private byte[] _memberBytes = [];
    private byte[] _viewBytes = [];
    private byte[] _eventBytes = [];

    /// <summary>The serializer with the grain assemblies' generated codecs (as a silo has it).</summary>
    public static ServiceProvider CreateServices() => new ServiceCollection()
        .AddSerializer(b => b.AddAssembly(typeof(CityState).Assembly).AddAssembly(typeof(CityView).Assembly))
        .BuildServiceProvider();

    [GlobalSetup]
    public void Setup()
    {
        _services = CreateServices();
        _serializer = _services.GetRequiredService<Serializer>();
        _candidate = Samples.CandidateState();
        _member = Samples.MemberState();
        _view = Samples.View();
        _event = Samples.Event();
        _memberBytes = _serializer.SerializeToArray(_member);
        _viewBytes = _serializer.SerializeToArray(_view);
        _eventBytes = _serializer.SerializeToArray(_event);
    }

    [Benchmark]
    public byte[] SerializeCandidateCityState() => _serializer.SerializeToArray(_candidate);

    [Benchmark]
    public byte[] SerializeMemberCityState() => _serializer.SerializeToArray(_member);

    [Benchmark]
    public CityState? DeserializeMemberCityState() => _serializer.Deserialize<CityState>(_memberBytes);

    [Benchmark]
    public byte[] SerializeCityView() => _serializer.SerializeToArray(_view);

    [Benchmark]
    public CityView? DeserializeCityView() => _serializer.Deserialize<CityView>(_viewBytes);

    [Benchmark]
    public byte[] SerializeDomainEvent() => _serializer.SerializeToArray(_event);

    [Benchmark]
    public DomainEvent? DeserializeDomainEvent() => _serializer.Deserialize<DomainEvent>(_eventBytes);

    [GlobalCleanup]
    public void Dispose()
    {
        _services?.Dispose();
        _services = null;
        GC.SuppressFinalize(this);
    }
}

/// <summary>System.Text.Json with the API's settings on its responses and the largest request body.</summary>
[MemoryDiagnoser]
public class ApiJsonBenchmarks
{
    private CityView _view = null!;
    private DirectoryPage _page = null!;
    private NetworkStats _stats = null!;
    private DomainEvent _event = null!;
    private byte[] _form = [];

    [GlobalSetup]
    public void Setup()
    {
        _view = Samples.View();
        _page = new DirectoryPage([.. Samples.Summaries(50, 50)], 1, 50, 10_000);
        _stats = Samples.Stats();
        _event = Samples.Event();
        _form = System.Text.Encoding.UTF8.GetBytes(Samples.ApplicationFormJson());
    }

    /// <summary>GET /cities/{id}.</summary>
    [Benchmark]
    public byte[] CityViewToJson() => JsonSerializer.SerializeToUtf8Bytes(_view, Samples.ApiJson);

    /// <summary>GET /cities?page=1&amp;pageSize=50.</summary>
    [Benchmark]
    public byte[] DirectoryPage50ToJson() => JsonSerializer.SerializeToUtf8Bytes(_page, Samples.ApiJson);

    /// <summary>GET /network/stats.</summary>
    [Benchmark]
    public byte[] NetworkStatsToJson() => JsonSerializer.SerializeToUtf8Bytes(_stats, Samples.ApiJson);

    /// <summary>The <c>data</c> of one SSE event, written once per subscriber or once per event.</summary>
    [Benchmark]
    public byte[] DomainEventToJson() => JsonSerializer.SerializeToUtf8Bytes(_event, Samples.ApiJson);

    /// <summary>PUT /cities/{id}/applications/{period}: the largest request body.</summary>
    [Benchmark]
    public ApplicationForm? ApplicationFormFromJson() => JsonSerializer.Deserialize<ApplicationForm>(_form, Samples.ApiJson);
}
