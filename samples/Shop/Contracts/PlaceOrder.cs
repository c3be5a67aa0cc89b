using MemoryPack;

namespace Shop.Contracts;

/// <summary>What a user sends to place an order. The card number goes to payments only; orders never stores it.</summary>
[MemoryPackable]
public sealed partial record PlaceOrder(string Customer, IReadOnlyList<OrderLine> Lines, string CardNumber);
