using System.Text.Json.Serialization;

namespace Shop.Contracts;

/// <summary>Whether a charge still stands.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<PaymentStatus>))]
public enum PaymentStatus
{
    /// <summary>The money was taken.</summary>
    Captured,

    /// <summary>The money was given back.</summary>
    Refunded,
}
