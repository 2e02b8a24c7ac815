namespace Gnlc.Api.Tests.Events;

/// <summary>Test classes that run after the others, one at a time, with the machine to themselves.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class RunsAloneDefinition
{
    public const string Name = "runs-alone";
}
