namespace Fitten;

/// <summary>
/// Marks an interface as a Fitten service contract. The Fitten source generator turns it into a typed client, a
/// server binding and a descriptor at compile time; nothing is discovered by reflection at run time.
/// </summary>
[AttributeUsage(AttributeTargets.Interface, Inherited = false)]
public sealed class FittenServiceAttribute : Attribute
{
    /// <summary>Creates the attribute.</summary>
    /// <param name="name">The service name on the wire, e.g. "shop.orders". Letters, digits, '.', '_' and '-'.</param>
    public FittenServiceAttribute(string name) => Name = name;

    /// <summary>The service name on the wire.</summary>
    public string Name { get; }
}
