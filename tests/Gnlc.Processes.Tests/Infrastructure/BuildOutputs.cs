namespace Gnlc.Processes.Tests.Infrastructure;

/// <summary>
/// The built Silo and Api programs, found relative to this test assembly: the repository root is the directory holding
/// Gnlc.Orleans.sln above it, and the programs are in the same configuration and framework as the tests
/// (<c>tests/Gnlc.Processes.Tests/bin/Release/net10.0</c> → <c>Silo/bin/Release/net10.0/Gnlc.Silo.dll</c>).
/// </summary>
internal static class BuildOutputs
{
    private const string Solution = "Gnlc.Orleans.sln";

    public static string SiloDll => Program("Silo", "Gnlc.Silo.dll");

    public static string ApiDll => Program("Api", "Gnlc.Api.dll");

    private static string Program(string project, string dll)
    {
        var here = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var framework = here.Name;
        var configuration = here.Parent?.Name
            ?? throw new InvalidOperationException($"The test assembly is not in a bin/<configuration>/<framework> folder: {here.FullName}");
        var root = here;
        while (root is not null && !File.Exists(Path.Combine(root.FullName, Solution)))
        {
            root = root.Parent;
        }

        if (root is null)
        {
            throw new InvalidOperationException($"No {Solution} above {here.FullName}: the process tests run from a clone of the repository.");
        }

        var path = Path.Combine(root.FullName, project, "bin", configuration, framework, dll);
        return File.Exists(path)
            ? path
            : throw new FileNotFoundException(
                $"{dll} is not built at {path}. Build the solution in {configuration} first (scripts/test.sh does: dotnet build {Solution} -c {configuration}).",
                path);
    }
}
