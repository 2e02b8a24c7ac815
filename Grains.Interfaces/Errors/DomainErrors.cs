namespace Gnlc.Errors;

/// <summary>Factories for every refusal, so a code is always paired with the same kind.</summary>
public static class DomainErrors
{
    public static DomainException Validation(string code, string message) => new(ErrorKind.Validation, code, message);

    public static DomainException NotFound(string code, string message) => new(ErrorKind.NotFound, code, message);

    public static DomainException Forbidden(string code, string message) => new(ErrorKind.Forbidden, code, message);

    public static DomainException Conflict(string code, string message) => new(ErrorKind.Conflict, code, message);

    public static DomainException CityNotFound(string cityId) =>
        NotFound(ErrorCodes.CityNotFound, $"No city '{cityId}' is registered.");

    public static DomainException PeriodNotFound(string periodId) =>
        NotFound(ErrorCodes.PeriodNotFound, $"No application period '{periodId}' is scheduled.");

    public static DomainException ApplicationNotFound(string periodId, string cityId) =>
        NotFound(ErrorCodes.ApplicationNotFound, $"City '{cityId}' has no application in period '{periodId}'.");

    public static DomainException QuotaExceeded(int quota) =>
        Conflict(ErrorCodes.QuotaExceeded, $"The National Commission has already endorsed its quota of {quota} cities for this period.");

    public static DomainException PeriodNotOpen(string periodId, string phase) =>
        Conflict(ErrorCodes.PeriodNotOpen, $"Period '{periodId}' is {phase}, not Open.");

    public static DomainException DeadlinePassed(string what) =>
        Conflict(ErrorCodes.DeadlinePassed, $"The deadline for {what} has passed.");
}
