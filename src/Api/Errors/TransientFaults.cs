using EventSeries.Persistence.Errors;
using Orleans.Runtime;
using Orleans.Runtime.Messaging;

namespace EventSeries.Api.Errors;

/// <summary>
/// Which failures of a call mean "a part of the system did not answer" rather than "this request is
/// wrong": the answer is 503 with Retry-After, and a scan with a scanId is retried (the grain
/// answers a repeated scanId with its first verdict). Everything a caller meets while a silo is
/// killed, frozen or overloaded (checked against Orleans 10.4.2's own types):
/// <list type="bullet">
/// <item><see cref="OrleansMessageRejectionException"/>: the message could not be delivered (a
/// killed silo's refused connection arrives as one, with a <see cref="ConnectionFailedException"/>
/// inside), including <see cref="SiloUnavailableException"/> (the target was declared dead, or no
/// gateway is left);</item>
/// <item><see cref="ConnectionFailedException"/> on its own, and <see cref="GatewayTooBusyException"/>
/// (a gateway shedding load);</item>
/// <item><see cref="TimeoutException"/>: no response within the response timeout (a frozen silo);</item>
/// <item>a transient database fault (<see cref="DatabaseFaults"/>) and the domain's own
/// <see cref="DomainErrorKind.Unavailable"/>, which the silos turn database faults into;</item>
/// <item>an <see cref="OrleansException"/> that wraps any of these, or wraps nothing: the runtime's
/// own refusal (seen in the fault harness: "Trying to register … on invalid silo … Known status:
/// Dead", from a silo that thawed after it was voted dead);</item>
/// <item>an <see cref="OperationCanceledException"/> whose token was never cancelled: nobody asked
/// for it, so the runtime gave the call up (seen: "Message expired before placement could
/// complete"). A client hanging up or a scan's deadline cancels through a token, and is told apart.</item>
/// </list>
/// </summary>
public static class TransientFaults
{
    public static bool IsTransient(Exception exception) => exception switch
    {
        DomainException domain => domain.Kind == DomainErrorKind.Unavailable,
        OrleansMessageRejectionException or ConnectionFailedException or GatewayTooBusyException => true,
        _ when DatabaseFaults.IsTransient(exception) => true,
        OrleansException { InnerException: { } inner } => IsTransient(inner),
        OrleansException => true,
        OperationCanceledException { CancellationToken.IsCancellationRequested: false } => true,
        _ => false,
    };
}
