namespace Gnlc.Errors;

/// <summary>
/// Stable error codes: part of the public contract (API.md), never renamed or reused.
/// </summary>
public static class ErrorCodes
{
    public const string Unspecified = "refused";

    // Validation (400)
    public const string InvalidCountry = "invalid-country";
    public const string UnknownMemberState = "unknown-member-state";
    public const string InvalidCityId = "invalid-city-id";
    public const string InvalidCityName = "invalid-city-name";
    public const string CityIdMismatch = "city-id-mismatch";
    public const string InvalidPopulation = "invalid-population";
    public const string InvalidMayor = "invalid-mayor";
    public const string InvalidPeriodId = "invalid-period-id";
    public const string InvalidSchedule = "invalid-schedule";
    public const string InvalidQuota = "invalid-quota";
    public const string OpensInPast = "opens-in-past";
    public const string PeriodNotPast = "period-not-past";
    public const string InvalidStatement = "invalid-statement";
    public const string InvalidReason = "invalid-reason";
    public const string InvalidDecision = "invalid-decision";
    public const string InvalidAwardYear = "invalid-award-year";
    public const string InvalidCitation = "invalid-citation";
    public const string InvalidReport = "invalid-report";
    public const string UnknownKeyFeature = "unknown-key-feature";
    public const string InvalidRepresentative = "invalid-representative";
    public const string InvalidForm = "invalid-form";
    public const string InvalidQuery = "invalid-query";
    public const string InvalidActor = "invalid-actor";
    public const string InvalidDuration = "invalid-duration";

    // Not found (404)
    public const string CityNotFound = "city-not-found";
    public const string PeriodNotFound = "period-not-found";
    public const string ApplicationNotFound = "application-not-found";

    // Forbidden (403)
    public const string CoordinatorOnly = "coordinator-only";
    public const string CommissionOnly = "commission-only";
    public const string CityOnly = "city-only";
    public const string NotYourCountry = "not-your-country";
    public const string NotYourCity = "not-your-city";
    public const string MayorOnly = "mayor-only";
    public const string RepresentativeNotEndorsed = "representative-not-endorsed";
    public const string TestClockDisabled = "test-clock-disabled";

    // Conflict (409)
    public const string QuotaExceeded = "quota-exceeded";
    public const string PeriodNotOpen = "period-not-open";
    public const string MayorEndorsementRequired = "mayor-endorsement-required";
    public const string ApplicationIncomplete = "application-incomplete";
    public const string AlreadySubmitted = "already-submitted";
    public const string DeadlinePassed = "deadline-passed";
    public const string AlreadyMember = "already-member";
    public const string PeriodCadence = "period-cadence";
    public const string PeriodOverlap = "period-overlap";
    public const string PeriodExists = "period-exists";
    public const string PeriodAlreadyOpen = "period-already-open";
    public const string CityAlreadyRegistered = "city-already-registered";
    public const string NotSubmitted = "not-submitted";
    public const string NotEndorsed = "not-endorsed";
    public const string AlreadyForwarded = "already-forwarded";
    public const string NothingToForward = "nothing-to-forward";
    public const string ApplicationWindowOpen = "application-window-open";
    public const string PeriodNotInReview = "period-not-in-review";
    public const string NotForwarded = "not-forwarded";
    public const string AlreadyDecided = "already-decided";
    public const string ApplicationsUndecided = "applications-undecided";
    public const string PeriodClosed = "period-closed";
    public const string NotAMember = "not-a-member";
    public const string MembershipEnded = "membership-ended";
    public const string ReportNotYetDue = "report-not-yet-due";
    public const string AwardAlreadyGranted = "award-already-granted";
}
