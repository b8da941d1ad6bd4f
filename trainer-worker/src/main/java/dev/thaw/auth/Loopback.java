package dev.thaw.auth;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Locale;
import java.util.regex.Pattern;

/** Whether an address stays on this host. */
public final class Loopback {
  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

  private Loopback() {}

  /**
   * Whether a URL's host is this host, without asking DNS: {@code localhost} or a loopback IP
   * literal ({@code 127.0.0.0/8}, {@code ::1}, bracketed or not). A name that merely resolves to
   * 127.0.0.1 does not count, so a token kept on this host is never sent elsewhere by a trick of
   * name resolution.
   */
  public static boolean isLoopbackHost(String host) {
    if (host == null || host.isBlank()) {
      return false;
    }
    String h = host.strip().toLowerCase(Locale.ROOT);
    if (h.startsWith("[") && h.endsWith("]")) {
      h = h.substring(1, h.length() - 1);
    }
    if (h.equals("localhost") || h.equals("localhost.")) {
      return true;
    }
    if (!IPV4.matcher(h).matches() && !h.contains(":")) {
      return false; // a name: not resolved here
    }
    try {
      return InetAddress.getByName(h).isLoopbackAddress(); // a literal: no lookup
    } catch (UnknownHostException e) {
      return false;
    }
  }

  /**
   * Whether a listening address ({@code quarkus.http.host}) accepts connections from this host
   * only: every address it resolves to is a loopback address. {@code 0.0.0.0}, {@code ::} and any
   * external address are not; an unresolvable name is not either.
   */
  public static boolean bindsLoopbackOnly(String host) {
    if (host == null || host.isBlank()) {
      return false;
    }
    String h = host.strip();
    if (h.startsWith("[") && h.endsWith("]")) {
      h = h.substring(1, h.length() - 1);
    }
    try {
      InetAddress[] all = InetAddress.getAllByName(h);
      return all.length > 0 && Arrays.stream(all).allMatch(InetAddress::isLoopbackAddress);
    } catch (UnknownHostException e) {
      return false;
    }
  }
}
