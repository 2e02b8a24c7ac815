namespace Gnlc.LoadGen.Workloads;

/// <summary>Request bodies shaped like real ones (API.md "Bodies"): a complete application form of realistic length.</summary>
internal static class Forms
{
    private const string Strategy =
        "The city's strategy builds on its lifelong learning plan adopted by the council: community learning centres in " +
        "every district, partnerships with universities and employers, libraries open to all ages, and yearly monitoring " +
        "of participation with the national statistics office.";

    public static object Application(long population, int revision) => new
    {
        population,
        focalPoint = new { name = "Focal Point " + revision, email = "focal.point@example.org" },
        motivation = "Revision " + revision + ": " + Strategy,
        buildingBlocks = new
        {
            inclusiveLearningInEducation = Strategy,
            learningInFamiliesAndCommunities = Strategy,
            learningForAndInTheWorkplace = Strategy,
            modernLearningTechnologies = Strategy,
            qualityInLearning = Strategy,
            cultureOfLearningThroughoutLife = Strategy,
        },
        fundamentalConditions = new
        {
            politicalWillAndCommitment = Strategy,
            governanceAndParticipation = Strategy,
            mobilizationOfResources = Strategy,
        },
    };
}
