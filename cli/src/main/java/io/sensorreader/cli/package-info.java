/** Filled in by its issue. */
package io.sensorreader.cli;
