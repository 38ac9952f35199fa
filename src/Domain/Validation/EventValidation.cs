using System.Text.RegularExpressions;
using EventSeries.Events;
using EventSeries.Wristbands;

namespace EventSeries.Domain.Validation;

/// <summary>Validation of events, categories, gates and wristbands.</summary>
public static partial class EventValidation
{
    /// <summary>The most wristbands one registration call may carry.</summary>
    public const int MaxRegistrationBatch = 10_000;

    /// <summary>Category names are short slugs so they read well in URLs, SQL and gate screens.</summary>
    [GeneratedRegex("^[a-z0-9][a-z0-9_-]{0,63}$")]
    public static partial Regex CategoryName();

    /// <summary>NFC UIDs are printable ASCII without spaces (hex as readers print them, or similar).</summary>
    [GeneratedRegex("^[\\x21-\\x7E]{1,64}$")]
    public static partial Regex NfcId();

    public static void Validate(EventSpec spec, FieldErrors errors)
    {
        errors.RequireText("name", spec.Name, 200);
        errors.LimitText("description", spec.Description, 4000);
        if (string.IsNullOrWhiteSpace(spec.TimeZone) || !TimeZoneInfo.TryFindSystemTimeZoneById(spec.TimeZone, out _))
        {
            errors.Add("timeZone", "Must be an IANA time zone id such as Europe/Berlin.");
        }
    }

    public static void Validate(CategoryView category, string field, FieldErrors errors)
    {
        if (category.Name is null || !CategoryName().IsMatch(category.Name))
        {
            errors.Add(field, $"'{category.Name}' is not a category name: use 1-64 lowercase letters, digits, '-' or '_'.");
        }

        errors.LimitText(field, category.Description, 1000);
    }

    public static void Validate(GateSpec spec, ISet<string> categories, FieldErrors errors)
    {
        errors.RequireText("name", spec.Name, 100);
        foreach (var category in (spec.AllowedCategories.IsDefault ? [] : spec.AllowedCategories).Where(c => !categories.Contains(c)))
        {
            errors.Add("allowedCategories", $"'{category}' is not a category of the event.");
        }
    }

    public static void Validate(ImmutableArray<WristbandSpec> wristbands, ISet<string> categories, FieldErrors errors)
    {
        if (wristbands.IsDefaultOrEmpty)
        {
            errors.Add("wristbands", "Name at least one wristband.");
            return;
        }

        if (wristbands.Length > MaxRegistrationBatch)
        {
            errors.Add("wristbands", $"At most {MaxRegistrationBatch} wristbands per request.");
            return;
        }

        for (var i = 0; i < wristbands.Length && errors.ToImmutable().Count < 20; i++)
        {
            var w = wristbands[i];
            if (w.NfcId is null || !NfcId().IsMatch(w.NfcId))
            {
                errors.Add($"wristbands[{i}].nfcId", "Must be 1-64 printable ASCII characters without spaces.");
            }

            if (w.Category is null || !categories.Contains(w.Category))
            {
                errors.Add($"wristbands[{i}].category", $"'{w.Category}' is not a category of the event.");
            }

            errors.LimitText($"wristbands[{i}].holderName", w.HolderName, 200);
            if (w.HolderEmail is not null && (w.HolderEmail.Length > 320 || !System.Net.Mail.MailAddress.TryCreate(w.HolderEmail, out _)))
            {
                errors.Add($"wristbands[{i}].holderEmail", "Must be an e-mail address.");
            }
        }

        foreach (var duplicate in wristbands.GroupBy(w => w.NfcId, StringComparer.Ordinal).Where(g => g.Count() > 1).Take(20))
        {
            errors.Add("wristbands", $"NFC UID '{duplicate.Key}' appears more than once in the request.");
        }
    }
}
