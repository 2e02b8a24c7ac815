using System.Text.Json;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Gnlc.Benchmarks;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;

// `sizes`: the serialized sizes of the samples (run.sh sizes the Npgsql baseline's payload from the store, or from this).
if (args is ["sizes", ..])
{
    using var services = OrleansSerializationBenchmarks.CreateServices();
    var serializer = services.GetRequiredService<Serializer>();
    Console.WriteLine($"orleans CityState (candidate) {serializer.SerializeToArray(Samples.CandidateState()).Length} B");
    Console.WriteLine($"orleans CityState (member) {serializer.SerializeToArray(Samples.MemberState()).Length} B");
    Console.WriteLine($"orleans CityView {serializer.SerializeToArray(Samples.View()).Length} B");
    Console.WriteLine($"orleans DomainEvent {serializer.SerializeToArray(Samples.Event()).Length} B");
    Console.WriteLine($"json CityView {JsonSerializer.SerializeToUtf8Bytes(Samples.View(), Samples.ApiJson).Length} B");
    return 0;
}

// `grain-memory`: bytes retained per activated city grain (GrainMemory.cs), not a BenchmarkDotNet run.
if (args is ["grain-memory", ..])
{
    return await GrainMemory.RunAsync(args);
}

// Default: a short job (3 warm-ups, 3 iterations, one launch), in process so that no child project is built.
// Any BenchmarkDotNet option still applies, e.g. `--filter *Directory*` or `--job medium` for steadier figures.
var config = DefaultConfig.Instance
    .AddJob(Job.ShortRun.WithToolchain(InProcessEmitToolchain.Instance).AsDefault())
    .AddDiagnoser(MemoryDiagnoser.Default)
    .WithOptions(ConfigOptions.JoinSummary);
var summaries = BenchmarkSwitcher.FromAssembly(typeof(Samples).Assembly).Run(args.Length == 0 ? ["--filter", "*"] : args, config);
return summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success)) ? 1 : 0;
