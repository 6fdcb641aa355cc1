/**
 * The library's exceptions, in one place, all {@link io.sparkbackprop.errors.SparkBackpropException}:
 * every layer below the API throws them (so they live below every layer and import nothing), the
 * API lets them through, and only the command line turns them into one line and an exit code.
 */
package io.sparkbackprop.errors;
