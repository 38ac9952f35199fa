namespace EventSeries.Api.Contracts;

/// <summary>
/// Checks the one required field of a small body (System.Text.Json leaves missing ones null). Bodies
/// with several required fields collect them with <see cref="RequestErrors"/> so one 400 names them all.
/// </summary>
internal static class Required
{
    public static T Value<T>(T? value, string field)
        where T : struct => value ?? throw DomainException.Invalid(field, "Required.");

    public static T Object<T>(T? value, string field)
        where T : class => value ?? throw DomainException.Invalid(field, "Required.");
}
