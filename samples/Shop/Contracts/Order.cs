using MemoryPack;

namespace Shop.Contracts;

/// <summary>An order as orders keeps it.</summary>
/// <param name="Id">Assigned by orders, from 1.</param>
/// <param name="Customer">Who placed it.</param>
/// <param name="Lines">What was ordered.</param>
/// <param name="Total">The amount charged (or that would have been), from inventory's prices; 0 when unknown.</param>
/// <param name="Status">Where the order is in its life.</param>
/// <param name="Reason">Why it failed; null otherwise.</param>
/// <param name="PaymentId">The charge that paid for it; null when nothing was charged.</param>
[MemoryPackable]
public sealed partial record Order(
    long Id, string Customer, IReadOnlyList<OrderLine> Lines, decimal Total, OrderStatus Status, string? Reason, string? PaymentId);
