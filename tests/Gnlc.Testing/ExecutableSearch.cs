namespace Gnlc.Testing;

/// <summary>Finds programs the way a shell would, without starting one.</summary>
internal static class ExecutableSearch
{
    /// <summary>Returns the full path of <paramref name="name"/> in the first PATH directory holding it, or null.</summary>
    public static string? FindOnPath(string name) =>
        PathDirectories()
            .Select(directory => Path.Combine(directory, name))
            .FirstOrDefault(File.Exists);

    /// <summary>Like <see cref="FindOnPath"/>, but also looks in sbin directories, which a non-login root PATH may lack.</summary>
    public static string? FindSystemProgram(string name) =>
        FindOnPath(name)
        ?? new[] { "/usr/sbin", "/sbin", "/usr/bin", "/bin" }
            .Select(directory => Path.Combine(directory, name))
            .FirstOrDefault(File.Exists);

    public static IEnumerable<string> PathDirectories() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
