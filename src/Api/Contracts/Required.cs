namespace EventSeries.Api.Contracts;

/// <summary>Checks for fields a JSON body must carry (System.Text.Json leaves missing ones null).</summary>
internal static class Required
{
    public static T Value<T>(T? value, string field)
        where T : struct => value ?? throw DomainException.Invalid(field, "Required.");

    public static T Object<T>(T? value, string field)
        where T : class => value ?? throw DomainException.Invalid(field, "Required.");
}
