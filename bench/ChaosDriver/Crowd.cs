using System.Globalization;

namespace EventSeries.Bench.Chaos;

/// <summary>
/// The driver's picture of who is inside, from the answers it got, used only to choose realistic
/// scans: mostly entries while there is room, about as many exits as entries near capacity (churn),
/// and a few scans the rules must deny (an entry of someone inside, an exit of someone outside).
/// A wristband is never in two scans at once, as at a real gate. Thread-safe.
/// </summary>
public sealed class Crowd(int wristbands, int capacity, bool singleEntry, int seed)
{
    private readonly Lock _gate = new();
    private readonly Random _random = new(seed);
    private readonly bool[] _inside = new bool[wristbands];
    private readonly bool[] _entered = new bool[wristbands];
    private readonly bool[] _busy = new bool[wristbands];
    private int _insideCount;

    public static string NfcId(int wristband) => "C" + (wristband + 1).ToString("D6", CultureInfo.InvariantCulture);

    /// <summary>Picks the next scan (wristband, "in" or "out") and marks it busy; null when every pick was busy.</summary>
    public (int Wristband, string Direction)? Next()
    {
        lock (_gate)
        {
            var fill = (double)_insideCount / capacity;
            var exit = _random.NextDouble() < (fill < 0.95 ? 0.1 : 0.5);
            // One scan in ten ignores the picture (passback and not-inside denials, and the
            // wristbands whose last answer was lost).
            var wanted = _random.NextDouble() < 0.9;
            for (var tries = 0; tries < 32; tries++)
            {
                var w = _random.Next(wristbands);
                if (_busy[w])
                {
                    continue;
                }

                var fits = !wanted || (exit ? _inside[w] : !_inside[w] && !(singleEntry && _entered[w]));
                if (fits || tries >= 24)
                {
                    _busy[w] = true;
                    return (w, exit ? "out" : "in");
                }
            }

            return null;
        }
    }

    /// <summary>Frees the wristband, and moves it in or out if its final answer was an ALLOW.</summary>
    public void Done(int wristband, string direction, bool allowed)
    {
        lock (_gate)
        {
            _busy[wristband] = false;
            if (!allowed)
            {
                return;
            }

            var inside = direction == "in";
            _entered[wristband] |= inside;
            if (_inside[wristband] != inside)
            {
                _inside[wristband] = inside;
                _insideCount += inside ? 1 : -1;
            }
        }
    }
}
