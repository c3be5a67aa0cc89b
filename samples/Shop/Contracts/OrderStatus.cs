using System.Text.Json.Serialization;

namespace Shop.Contracts;

/// <summary>Where an order is in its life. JSON spells it by name ("Confirmed"), which users read more easily than a number.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<OrderStatus>))]
public enum OrderStatus
{
    /// <summary>Being placed: stock is being reserved or the card charged.</summary>
    Pending,

    /// <summary>Stock reserved and card charged.</summary>
    Confirmed,

    /// <summary>Could not be placed (see <see cref="Order.Reason"/>); nothing is reserved and nothing charged.</summary>
    Failed,

    /// <summary>Cancelled after confirmation: refunded and the stock put back.</summary>
    Cancelled,
}
