namespace EventSeries.Bench.Chaos;

/// <summary>
/// One send of a scan. Status 0: no HTTP answer (Error says why: refused, reset, timeout).
/// Times are seconds from the start of the load.
/// </summary>
public sealed record Attempt(int Number, string Target, double StartS, double EndS, int Status, string? Error, bool? Allowed, string? Reason, Guid? CheckinId);

/// <summary>A scan as the handheld saw it: its id, what it asked, every send, and the last answer.</summary>
public sealed class ScanRecord(Guid scanId, int wristband, string nfcId, string direction, double startS)
{
    public Guid ScanId { get; } = scanId;

    public int Wristband { get; } = wristband;

    public string NfcId { get; } = nfcId;

    public string Direction { get; } = direction;

    public double StartS { get; } = startS;

    public List<Attempt> Attempts { get; } = [];

    /// <summary>The last send: the final answer (or the last failure, when every send failed).</summary>
    public Attempt? Final => Attempts.Count == 0 ? null : Attempts[^1];

    public double EndS => Final?.EndS ?? StartS;

    public bool AnsweredAllow => Final is { Status: 200, Allowed: true };

    public bool AnsweredDeny => Final is { Status: 200, Allowed: false };

    /// <summary>How the final answer is counted in the table.</summary>
    public string Outcome => Final switch
    {
        null => "not sent",
        { Status: 200, Allowed: true } => "200 ALLOW",
        { Status: 200 } => "200 DENY",
        { Status: 0 } => "no answer / timeout",
        { Status: 409 } => "409",
        { Status: 503 } => "503",
        { Status: 500 } => "500",
        { Status: >= 500 } => "5xx other",
        { Status: var s } => $"{s}",
    };
}
