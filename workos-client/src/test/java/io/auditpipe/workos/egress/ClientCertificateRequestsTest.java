package io.auditpipe.workos.egress;

import static org.assertj.core.api.Assertions.assertThat;

import javax.net.ssl.KeyManager;
import javax.net.ssl.X509ExtendedKeyManager;
import org.junit.jupiter.api.Test;

class ClientCertificateRequestsTest {

  @Test
  void aServerAskingForACertificateIsNotedUntilTheNextAnswer() {
    ClientCertificateRequests requests = new ClientCertificateRequests();
    KeyManager[] managers = requests.watch(null);
    assertThat(requests.unanswered()).isFalse();

    // No client certificate configured: the wrapper chooses none, as the JDK's empty manager does.
    String alias =
        ((X509ExtendedKeyManager) managers[0])
            .chooseEngineClientAlias(new String[] {"EC"}, null, null);

    assertThat(alias).isNull();
    assertThat(requests.unanswered()).isTrue();
    requests.answered();
    assertThat(requests.unanswered()).isFalse();
  }

  @Test
  void onlyX509KeyManagersAreWrapped() {
    KeyManager other = new KeyManager() {};

    KeyManager[] managers = new ClientCertificateRequests().watch(new KeyManager[] {other});

    assertThat(managers).containsExactly(other);
  }
}
