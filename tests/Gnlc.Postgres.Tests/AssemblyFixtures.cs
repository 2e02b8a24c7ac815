using Gnlc.Testing;

// One throwaway PostgreSQL server for the whole test assembly.
[assembly: AssemblyFixture(typeof(PostgresServer))]
