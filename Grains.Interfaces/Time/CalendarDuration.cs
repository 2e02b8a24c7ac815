using System.Globalization;
using System.Text;
using Gnlc.Errors;

namespace Gnlc.Time;

/// <summary>
/// An ISO-8601 duration with calendar semantics (<c>P2M</c> is two calendar months, not 60 days):
/// the windows of an application period and the test clock's <c>advanceBy</c>.
/// </summary>
[GenerateSerializer, Immutable, Alias("gnlc.CalendarDuration")]
public sealed record CalendarDuration(
    [property: Id(0)] int Months,
    [property: Id(1)] int Days = 0,
    [property: Id(2)] TimeSpan Time = default)
{
    public static CalendarDuration FromMonths(int months) => new(months);

    public bool IsPositive => Months >= 0 && Days >= 0 && Time >= TimeSpan.Zero && (Months > 0 || Days > 0 || Time > TimeSpan.Zero);

    /// <summary>Adds months first, then days, then time, as calendar arithmetic does.</summary>
    public DateTimeOffset AddTo(DateTimeOffset instant) => instant.AddMonths(Months).AddDays(Days).Add(Time);

    /// <summary>Parses <c>PnYnMnWnDTnHnMnS</c> (years fold into months, weeks into days); no negative parts.</summary>
    public static CalendarDuration Parse(string text)
    {
        if (!TryParse(text, out var duration))
        {
            throw DomainErrors.Validation(ErrorCodes.InvalidDuration, $"'{text}' is not an ISO-8601 duration such as P2M or P1DT2H.");
        }

        return duration;
    }

    public static bool TryParse(string? text, out CalendarDuration duration)
    {
        duration = new CalendarDuration(0);
        if (string.IsNullOrWhiteSpace(text) || text[0] is not ('P' or 'p') || text.Length < 3)
        {
            return false;
        }

        int months = 0, days = 0;
        var time = TimeSpan.Zero;
        var inTime = false;
        var number = new StringBuilder();
        var any = false;
        for (var i = 1; i < text.Length; i++)
        {
            var c = char.ToUpperInvariant(text[i]);
            if (c == 'T')
            {
                if (inTime || number.Length > 0)
                {
                    return false;
                }

                inTime = true;
                continue;
            }

            if (char.IsAsciiDigit(c) || (c is '.' or ',' && inTime))
            {
                number.Append(c == ',' ? '.' : c);
                continue;
            }

            if (number.Length == 0 || !decimal.TryParse(number.ToString(), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value))
            {
                return false;
            }

            number.Clear();
            any = true;
            var whole = value == decimal.Truncate(value);
            try
            {
                switch (inTime, c)
                {
                    case (false, 'Y') when whole: months = checked(months + ((int)value * 12)); break;
                    case (false, 'M') when whole: months = checked(months + (int)value); break;
                    case (false, 'W') when whole: days = checked(days + ((int)value * 7)); break;
                    case (false, 'D') when whole: days = checked(days + (int)value); break;
                    case (true, 'H'): time += TimeSpan.FromHours((double)value); break;
                    case (true, 'M'): time += TimeSpan.FromMinutes((double)value); break;
                    case (true, 'S'): time += TimeSpan.FromSeconds((double)value); break;
                    default: return false;
                }
            }
            catch (OverflowException)
            {
                return false;
            }
        }

        if (!any || number.Length > 0)
        {
            return false;
        }

        duration = new CalendarDuration(months, days, time);
        return true;
    }

    public override string ToString()
    {
        var text = new StringBuilder("P");
        if (Months != 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"{Months}M");
        }

        if (Days != 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"{Days}D");
        }

        if (Time != TimeSpan.Zero)
        {
            text.Append(CultureInfo.InvariantCulture, $"T{(long)Time.TotalSeconds}S");
        }

        return text.Length == 1 ? "PT0S" : text.ToString();
    }
}
