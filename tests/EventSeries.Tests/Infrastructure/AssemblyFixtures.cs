[assembly: AssemblyFixture(typeof(EventSeries.Tests.Infrastructure.PostgresServer))]
