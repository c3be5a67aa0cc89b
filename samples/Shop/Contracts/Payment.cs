using MemoryPack;

namespace Shop.Contracts;

/// <summary>A charge payments took.</summary>
/// <param name="Id">Assigned by payments, e.g. "pay_1".</param>
/// <param name="OrderId">The order it paid for.</param>
/// <param name="Amount">What was charged.</param>
/// <param name="CardLast4">The last four digits of the card; payments keeps no more of it.</param>
/// <param name="Status">Captured, or refunded.</param>
/// <param name="Lane">
/// The traffic lane the charge came in on: the <c>lane</c> tag of the call chain (set at the gateway with the header
/// <c>fitten-tag: lane=canary</c>), so canary traffic can be told apart; null for the main lane.
/// </param>
[MemoryPackable]
public sealed partial record Payment(string Id, long OrderId, decimal Amount, string CardLast4, PaymentStatus Status, string? Lane = null);
