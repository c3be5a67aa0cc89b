namespace Fitten.Generator.Model
{
    /// <summary>How a contract method returns.</summary>
    internal enum ReturnKind
    {
        ValueTaskOfT,
        TaskOfT,
        ValueTask,
        Task,
    }

    /// <summary>One contract method.</summary>
    /// <param name="ClrName">The C# name, e.g. GetAsync.</param>
    /// <param name="WireName">The name on the wire, e.g. Get.</param>
    /// <param name="ResultType">The fully qualified result type (T of Task&lt;T&gt;); the Unit type for Task/ValueTask.</param>
    /// <param name="ReturnKind">Which task type it returns.</param>
    /// <param name="Parameters">The parameters that travel (all but the CancellationToken).</param>
    /// <param name="CancellationTokenName">The name of the trailing CancellationToken parameter, or null.</param>
    /// <param name="IsIdempotent">Whether it carries [Idempotent].</param>
    /// <param name="ResultTypeOf">The result type as written in typeof (no nullable reference annotation).</param>
    /// <param name="HttpMethod">The verb of the method's own HTTP route, or null.</param>
    /// <param name="HttpTemplate">The template of the method's own HTTP route, or null.</param>
    /// <param name="TimeoutMilliseconds">[FittenMethod(TimeoutMilliseconds)], 0 when unset.</param>
    internal sealed record MethodModel(
        string ClrName,
        string WireName,
        ReturnKind ReturnKind,
        string ResultType,
        EquatableArray<ParameterModel> Parameters,
        string? CancellationTokenName,
        bool IsIdempotent,
        string ResultTypeOf,
        string? HttpMethod,
        string? HttpTemplate,
        int TimeoutMilliseconds);

    /// <summary>How a route or query value parses into a parameter.</summary>
    internal enum ParseKind
    {
        /// <summary>It does not: the parameter can only come from a JSON body.</summary>
        None,
        Parsable,
        NullableParsable,
        Enum,
        NullableEnum,
    }

    /// <summary>One parameter (the CancellationToken is not one of them).</summary>
    /// <param name="Name">The C# name.</param>
    /// <param name="Type">The fully qualified type, with nullable annotations.</param>
    /// <param name="TypeOf">The type as written in typeof and generic arguments of parsers (no nullable reference annotation).</param>
    /// <param name="IsRequired">False when nullable or declared with a default value.</param>
    /// <param name="DefaultValue">The C# expression of its declared default value, or null.</param>
    /// <param name="ParseKind">How a route or query string parses into it.</param>
    /// <param name="HttpSource">Where the method's own route binds it from: "Body", "Route" or "Query".</param>
    internal sealed record ParameterModel(string Name, string Type, string TypeOf, bool IsRequired, string? DefaultValue, ParseKind ParseKind, string HttpSource);
}
