global using System.Collections.Immutable;
global using EventSeries.Errors;
