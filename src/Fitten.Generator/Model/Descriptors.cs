using Microsoft.CodeAnalysis;

namespace Fitten.Generator.Model
{
    /// <summary>
    /// The generator's diagnostics. Ids are stable: FIT0xx, never reused for another meaning. Each has a test in
    /// tests/Fitten.Generator.Tests.
    /// </summary>
    internal static class Descriptors
    {
        private const string Category = "Fitten.Contracts";

        public static readonly DiagnosticDescriptor GenericMethod = Error("FIT001", "Contract methods cannot be generic",
            "Contract method '{0}' is generic; a Fitten method has one fixed request and response shape");

        public static readonly DiagnosticDescriptor ByRefParameter = Error("FIT002", "Contract parameters cannot be ref, out or in",
            "Parameter '{0}' is passed by reference; values cross the network, so parameters are passed by value");

        public static readonly DiagnosticDescriptor Overload = Error("FIT003", "Contract methods need distinct names",
            "'{0}' is declared more than once; a method is found by name on the wire, so overloads are not allowed");

        public static readonly DiagnosticDescriptor BadReturnType = Error("FIT004", "Unsupported return type",
            "Contract method '{0}' must return ValueTask, ValueTask<T>, Task or Task<T>");

        public static readonly DiagnosticDescriptor CancellationTokenPosition = Error("FIT005", "CancellationToken must be the last parameter",
            "Method '{0}' takes a CancellationToken that is not its last parameter, or more than one");

        public static readonly DiagnosticDescriptor BadServiceName = Error("FIT006", "Invalid service name",
            "Service name '{0}' is invalid: use ASCII letters, digits, '.', '_' and '-'");

        public static readonly DiagnosticDescriptor UnsupportedContractShape = Error("FIT007", "Unsupported contract interface",
            "'{0}' cannot be a contract: it must be a non-generic interface declared directly in a namespace");

        public static readonly DiagnosticDescriptor NotSerializable = Error("FIT008", "Type cannot be encoded",
            "{0}: the default codec (MemoryPack) needs the type to be marked [MemoryPackable]");

        public static readonly DiagnosticDescriptor NonMethodMember = Error("FIT009", "Contracts contain only methods",
            "'{0}' is not a method; a contract declares only methods");

        public static readonly DiagnosticDescriptor BadMethodName = Error("FIT010", "Invalid method name",
            "Method name '{0}' is invalid on the wire: use ASCII letters, digits and '_'");

        public static readonly DiagnosticDescriptor UnknownRouteParameter = Error("FIT011", "Route parameter matches no method parameter",
            "Route '{0}' names '{{{1}}}', but the method has no parameter of that name");

        public static readonly DiagnosticDescriptor RouteParameterNotSimple = Error("FIT012", "Route and query parameters must be simple types",
            "Parameter '{0}' binds from the {1}, so its type must parse from a string (IParsable<T>, e.g. int, long, Guid, string, DateTime, or an enum)");

        public static readonly DiagnosticDescriptor BadBodyParameters = Error("FIT013", "Unsupported request body",
            "{0}");

        public static readonly DiagnosticDescriptor BadRoute = Error("FIT014", "Invalid HTTP route",
            "Route '{0}' is invalid: {1}");

        public static readonly DiagnosticDescriptor DuplicateRoute = Error("FIT015", "HTTP route declared twice",
            "{0}");

        public static readonly DiagnosticDescriptor BadTimeout = Error("FIT016", "Invalid method timeout",
            "TimeoutMilliseconds of '{0}' must be positive (or 0 for the channel's default)");

        private static readonly DiagnosticDescriptor[] All =
        [
            GenericMethod, ByRefParameter, Overload, BadReturnType, CancellationTokenPosition, BadServiceName,
            UnsupportedContractShape, NotSerializable, NonMethodMember, BadMethodName, UnknownRouteParameter,
            RouteParameterNotSimple, BadBodyParameters, BadRoute, DuplicateRoute, BadTimeout,
        ];

        public static DiagnosticDescriptor ById(string id)
        {
            foreach (var descriptor in All)
            {
                if (descriptor.Id == id)
                {
                    return descriptor;
                }
            }

            return GenericMethod;
        }

        private static DiagnosticDescriptor Error(string id, string title, string message)
            => new(id, title, message, Category, DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: "docs/contracts.md#" + id.ToLowerInvariant());
    }
}
