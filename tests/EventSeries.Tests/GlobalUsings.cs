global using System.Collections.Immutable;
global using EventSeries.Errors;
global using EventSeries.Security;
global using EventSeries.Tests.Infrastructure;
global using Xunit;
