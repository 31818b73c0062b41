using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using EquipmentIoT.Protocols.Mqtt.Client;

namespace EquipmentIoT.Protocols.Mqtt.Channel;

/// <summary>
/// Opens the byte stream to the broker: TCP, optionally wrapped in TLS with server validation against
/// a custom CA and a client certificate. Socket and TLS errors come out as
/// <see cref="MqttCommunicationException"/> saying what failed and whether trying again can help.
/// </summary>
internal static class MqttTransport
{
    public static async Task<Stream> ConnectAsync(MqttClientOptions options, CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            if (IPAddress.TryParse(options.Host, out var address))
                await socket.ConnectAsync(new IPEndPoint(address, options.Port), cancellationToken).ConfigureAwait(false);
            else
                await socket.ConnectAsync(options.Host, options.Port, cancellationToken).ConfigureAwait(false);
        }
        catch (SocketException ex)
        {
            socket.Dispose();
            throw new MqttCommunicationException($"cannot connect to {options.Host}:{options.Port}: {ex.Message}", isTransient: true, ex);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        var network = new NetworkStream(socket, ownsSocket: true);
        if (options.Tls is not { } tls) return network;

        string? rejection = null;
        var ssl = new SslStream(network, leaveInnerStreamOpen: false);
        try
        {
            var host = tls.TargetHost ?? options.Host;
            await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = host,
                ClientCertificates = tls.ClientCertificates,
                EnabledSslProtocols = SslProtocols.None, // the OS default: TLS 1.2 and 1.3
                CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
                RemoteCertificateValidationCallback = (_, certificate, chain, errors) =>
                    Validate(tls, certificate, chain, errors, out rejection),
            }, cancellationToken).ConfigureAwait(false);
            return ssl;
        }
        catch (AuthenticationException ex)
        {
            await ssl.DisposeAsync().ConfigureAwait(false);
            var why = rejection ?? ex.InnerException?.Message ?? ex.Message;
            throw new MqttCommunicationException(
                $"TLS handshake with {options.Host}:{options.Port} failed: {why}", isTransient: false, ex);
        }
        catch (IOException ex)
        {
            await ssl.DisposeAsync().ConfigureAwait(false);
            throw new MqttCommunicationException(
                $"TLS handshake with {options.Host}:{options.Port} failed: {rejection ?? ex.Message}" +
                (tls.ClientCertificates.Count == 0 ? " (does the broker require a client certificate?)" : ""),
                isTransient: rejection is null, ex);
        }
        catch
        {
            await ssl.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private static bool Validate(MqttTlsOptions tls, X509Certificate? certificate, X509Chain? presented,
        SslPolicyErrors errors, out string? rejection)
    {
        rejection = null;
        if (tls.AllowUntrustedServer) return true;
        if (certificate is null)
        {
            rejection = "the broker presented no certificate";
            return false;
        }
        if ((errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0)
        {
            rejection = $"the broker's certificate ({certificate.Subject}) does not name the host we connected to";
            return false;
        }
        if (tls.TrustedCertificates.Count == 0)
        {
            if (errors == SslPolicyErrors.None) return true;
            rejection = $"the broker's certificate ({certificate.Subject}) is not trusted by the system store: {errors}";
            return false;
        }

        // A custom CA: build the chain against it alone, ignoring the system store (as mosquitto_pub --cafile does).
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(tls.TrustedCertificates);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (presented is not null)
            foreach (var element in presented.ChainElements)
                chain.ChainPolicy.ExtraStore.Add(element.Certificate);
        var leaf = certificate as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        if (chain.Build(leaf)) return true;
        var status = string.Join(", ", chain.ChainStatus.Select(s => s.Status.ToString()).Distinct());
        rejection = $"the broker's certificate ({leaf.Subject}, issued by {leaf.Issuer}) is not trusted: it is not signed by the configured CA ({status})";
        return false;
    }
}
