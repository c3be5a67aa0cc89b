using MemoryPack;

namespace Shop.Contracts;

/// <summary>A product in the catalogue.</summary>
/// <param name="Sku">Its stock-keeping unit, e.g. "tea-sencha".</param>
/// <param name="Name">What users see.</param>
/// <param name="Price">Price of one, in the shop's single currency.</param>
/// <param name="InStock">How many are neither sold nor reserved.</param>
[MemoryPackable]
public sealed partial record Product(string Sku, string Name, decimal Price, int InStock);
