using System.Security.Claims;
using Gnlc.Actors;
using Gnlc.Api.Errors;

namespace Gnlc.Api.Auth;

/// <summary>
/// The one authorization policy of the HTTP layer: an authenticated caller whose claims make a valid
/// <see cref="Actor"/> (no token: 401; a token whose claims make no actor: 403). Everything finer is the grains'.
/// </summary>
public static class ActorPolicy
{
    public const string Name = "gnlc-actor";

    public static IServiceCollection AddGnlcActorPolicy(this IServiceCollection services) =>
        services.AddAuthorizationBuilder()
            .AddPolicy(Name, policy => policy
                .RequireAuthenticatedUser()
                .RequireAssertion(context => context.User.ToActor() is not null))
            .Services;

    /// <summary>Routes that need a caller: 401 without a valid token, 403 when its claims make no actor.</summary>
    public static TBuilder RequireActor<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder.RequireAuthorization(Name);

    /// <summary>The caller of a route that requires an actor (the policy has checked it).</summary>
    public static Actor Actor(this ClaimsPrincipal user) =>
        user.ToActor() ?? throw new RequestProblemException(
            StatusCodes.Status403Forbidden, ProblemCodes.Forbidden, "Forbidden", "The token's claims name no valid role.");
}
