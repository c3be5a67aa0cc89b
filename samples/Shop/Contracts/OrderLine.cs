using MemoryPack;

namespace Shop.Contracts;

/// <summary>So many of one product.</summary>
[MemoryPackable]
public sealed partial record OrderLine(string Sku, int Quantity);
