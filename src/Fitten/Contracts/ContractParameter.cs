namespace Fitten;

/// <summary>One parameter of a contract method.</summary>
/// <param name="Name">The parameter name: the property name in JSON bodies, the route or query name over HTTP.</param>
/// <param name="Type">The parameter type.</param>
/// <param name="IsRequired">False when the parameter is nullable or has a default value.</param>
/// <param name="Source">Where the method's own HTTP route binds it from (the default route takes every parameter from the body).</param>
public sealed record ContractParameter(string Name, Type Type, bool IsRequired, HttpParameterSource Source);
