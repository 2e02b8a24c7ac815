using Gnlc.Testing;

namespace Gnlc.Postgres.Tests;

public sealed class CreateDatabaseTests(PostgresServer server)
{
    [Fact]
    public async Task Each_call_gives_a_distinct_database()
    {
        var first = await server.CreateDatabaseAsync();
        var second = await server.CreateDatabaseAsync();

        var firstName = await Sql.ScalarAsync<string>(first, "SELECT current_database()");
        var secondName = await Sql.ScalarAsync<string>(second, "SELECT current_database()");

        Assert.NotEqual(first, second);
        Assert.NotEqual(firstName, secondName);
        Assert.NotEqual("postgres", firstName);
        Assert.NotEqual("postgres", secondName);
    }

    [Fact]
    public async Task A_table_created_in_one_database_is_absent_from_another()
    {
        var first = await server.CreateDatabaseAsync();
        var second = await server.CreateDatabaseAsync();

        await Sql.ExecuteAsync(first, "CREATE TABLE widgets (id int PRIMARY KEY)");

        Assert.Equal("widgets", await Sql.ScalarAsync<string>(first, "SELECT to_regclass('public.widgets')::text"));
        Assert.Null(await Sql.ScalarAsync<string>(second, "SELECT to_regclass('public.widgets')::text"));
    }

    [Theory]
    [InlineData("MembershipTests", "membershiptests_")]
    [InlineData("Grain-State Tests!", "grain_state_tests__")]
    [InlineData("42things", "db_42things_")]
    public async Task The_prefix_starts_the_database_name(string prefix, string expectedStart)
    {
        var connectionString = await server.CreateDatabaseAsync(prefix);

        var name = await Sql.ScalarAsync<string>(connectionString, "SELECT current_database()");

        Assert.StartsWith(expectedStart, name, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_long_prefix_is_shortened_to_a_valid_name()
    {
        var connectionString = await server.CreateDatabaseAsync(new string('x', 200));

        var name = await Sql.ScalarAsync<string>(connectionString, "SELECT current_database()");

        Assert.NotNull(name);
        Assert.InRange(name.Length, 40, 63);
    }
}
