using EventSeries.Persistence.Errors;

namespace EventSeries.Grains.Hosting;

/// <summary>
/// The one place on the silo where what a store found becomes what the domain answers: a write
/// conflict a 409, a missing row a 404, a database that is away a 503. Stores speak of rows and
/// connections; callers (other grains, the API on another silo or process) get the serializable
/// <see cref="DomainException"/>. Npgsql's exceptions are not among the types Orleans rebuilds on
/// the other side of a silo-to-silo call, so letting one through answered 500 there.
/// </summary>
public sealed class StoreErrorFilter : IIncomingGrainCallFilter
{
    public async Task Invoke(IIncomingGrainCallContext context)
    {
        try
        {
            await context.Invoke();
        }
        catch (WriteConflictException e)
        {
            throw DomainException.Conflict(e.Code, e.Message);
        }
        catch (RowNotFoundException e)
        {
            throw DomainException.NotFound(e.Resource);
        }
        catch (Exception e) when (DatabaseFaults.IsTransient(e))
        {
            throw DomainException.Unavailable("The database did not answer; nothing was changed. Retry.");
        }
    }
}
