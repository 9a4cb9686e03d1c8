/** Strings of the rounds screens (zh-CN). */
export default {
  title: '',
};
