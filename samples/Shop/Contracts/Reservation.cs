using MemoryPack;

namespace Shop.Contracts;

/// <summary>Stock set aside for one order, and what it costs at current prices.</summary>
[MemoryPackable]
public sealed partial record Reservation(long OrderId, IReadOnlyList<OrderLine> Lines, decimal Total);
