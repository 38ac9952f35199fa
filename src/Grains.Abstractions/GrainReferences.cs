namespace EventSeries;

/// <summary>
/// Grain references for the scan path. Orleans' <c>GetGrain&lt;T&gt;(string)</c> finds the interface's
/// grain type through attribute reflection on every call (about 8% of the silo's CPU in the scan
/// benchmark); this finds it once per interface and then builds references straight from grain ids.
/// </summary>
public static class GrainReferences
{
    public static T Reference<T>(this IGrainFactory grains, string key)
        where T : IGrainWithStringKey
    {
        var types = ResolvedTypes<T>.Get(grains);
        return (T)grains.GetGrain(GrainId.Create(types.Grain, key), types.Interface);
    }

    private sealed record Types(GrainType Grain, GrainInterfaceType Interface);

    private static class ResolvedTypes<T>
        where T : IGrainWithStringKey
    {
        // A reference, so readers see either nothing or both types (every writer writes the same).
        private static Types? _types;

        public static Types Get(IGrainFactory grains)
        {
            if (_types is { } known)
            {
                return known;
            }

            var probe = (GrainReference)(object)grains.GetGrain<T>("type-probe");
            return _types = new Types(probe.GrainId.Type, probe.InterfaceType);
        }
    }
}
