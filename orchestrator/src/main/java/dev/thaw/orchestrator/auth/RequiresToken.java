package dev.thaw.orchestrator.auth;

import dev.thaw.auth.TokenRole;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The token a resource's calls need. A resource without it needs the API token ({@link
 * TokenRole#API}), so a new resource is closed until it says otherwise.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface RequiresToken {
  TokenRole value();
}
