using MemoryPack;

namespace Shop.Contracts;

/// <summary>A charge payments took.</summary>
/// <param name="Id">Assigned by payments, e.g. "pay_1".</param>
/// <param name="OrderId">The order it paid for.</param>
/// <param name="Amount">What was charged.</param>
/// <param name="CardLast4">The last four digits of the card; payments keeps no more of it.</param>
/// <param name="Status">Captured, or refunded.</param>
[MemoryPackable]
public sealed partial record Payment(string Id, long OrderId, decimal Amount, string CardLast4, PaymentStatus Status);
